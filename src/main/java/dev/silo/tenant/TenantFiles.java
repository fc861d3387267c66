package dev.silo.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Paths of tenant files: {@code <data_dir>/tenants/<id>.db} with the {@code -wal},
 * {@code -shm} and {@code -journal} files SQLite keeps beside it, the temporary file
 * {@code <id>.db.tmp} that provisioning fills before renaming it to {@code <id>.db}, and
 * the staging file {@code <id>.db.restore} of a restore. Every method takes a tenant id
 * that {@link TenantId} accepted.
 */
public final class TenantFiles {

  private static final String DATABASE_SUFFIX = ".db";
  private static final String TEMPORARY_SUFFIX = ".db.tmp";
  private static final String RESTORE_SUFFIX = ".db.restore";
  /** Files that SQLite creates beside a database, named by a suffix to the database's name. */
  private static final List<String> SQLITE_COMPANIONS = List.of("-wal", "-shm", "-journal");

  private final Path tenantsDir;

  public TenantFiles(Path dataDir) {
    this.tenantsDir = dataDir.resolve("tenants");
  }

  public Path tenantsDir() {
    return tenantsDir;
  }

  /** Returns the database file of a tenant. */
  public Path database(String tenantId) {
    return tenantsDir.resolve(TenantId.validate(tenantId) + DATABASE_SUFFIX);
  }

  /** Returns the temporary file that provisioning fills before renaming it to {@link #database}. */
  public Path temporary(String tenantId) {
    return tenantsDir.resolve(TenantId.validate(tenantId) + TEMPORARY_SUFFIX);
  }

  /**
   * Returns the file that a restore copies a backup to and checks, before it renames it
   * over the tenant's database file. It is in the same folder, so the rename is atomic.
   */
  public Path restoreStaging(String tenantId) {
    return tenantsDir.resolve(TenantId.validate(tenantId) + RESTORE_SUFFIX);
  }

  /** Returns the database file and its SQLite companions. */
  public List<Path> databaseFiles(String tenantId) {
    return withCompanions(database(tenantId));
  }

  /**
   * Returns every file a tenant may have: the database, the temporary file of
   * provisioning, the staging file of a restore, and their companions.
   */
  public List<Path> allFiles(String tenantId) {
    List<Path> files = new ArrayList<>(databaseFiles(tenantId));
    files.addAll(withCompanions(temporary(tenantId)));
    files.addAll(withCompanions(restoreStaging(tenantId)));
    return files;
  }

  /** Returns whether the tenant's database file exists. Blocking file-system call. */
  public boolean exists(String tenantId) {
    return Files.exists(database(tenantId));
  }

  /** Deletes every file of the tenant (see {@link #allFiles}). Blocking file-system call. */
  public void delete(String tenantId) throws IOException {
    for (Path file : allFiles(tenantId)) {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Returns the tenant id that a file name in the tenants folder belongs to: the part
   * before {@code .db}, when it is a valid tenant id. Tenant ids contain no dot, so the
   * first dot ends the id.
   */
  public static Optional<String> ownerOf(String fileName) {
    int dot = fileName.indexOf('.');
    if (dot < 0 || !fileName.startsWith(DATABASE_SUFFIX, dot)) {
      return Optional.empty();
    }
    String id = fileName.substring(0, dot);
    return TenantId.isValid(id) ? Optional.of(id) : Optional.empty();
  }

  /**
   * Returns whether a file name is a tenant's database or one of its SQLite companions,
   * as opposed to a temporary or staging file or a name Silo does not create.
   */
  public static boolean isDatabaseFile(String fileName) {
    Optional<String> owner = ownerOf(fileName);
    if (owner.isEmpty()) {
      return false;
    }
    String suffix = fileName.substring(owner.get().length() + DATABASE_SUFFIX.length());
    return suffix.isEmpty() || SQLITE_COMPANIONS.contains(suffix);
  }

  /** Returns any SQLite database file followed by its companions. */
  public static List<Path> withCompanions(Path database) {
    List<Path> files = new ArrayList<>();
    files.add(database);
    files.addAll(companions(database));
    return files;
  }

  /** Returns the {@code -wal}, {@code -shm} and {@code -journal} companions of any SQLite database file. */
  public static List<Path> companions(Path database) {
    String name = database.getFileName().toString();
    return SQLITE_COMPANIONS.stream().map(suffix -> database.resolveSibling(name + suffix)).toList();
  }

  /** Deletes any SQLite database file with its companions. Blocking file-system call. */
  public static void deleteWithCompanions(Path database) throws IOException {
    for (Path file : withCompanions(database)) {
      Files.deleteIfExists(file);
    }
  }
}
