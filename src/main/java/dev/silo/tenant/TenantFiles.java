package dev.silo.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Paths of tenant files: {@code <data_dir>/tenants/<id>.db} with its {@code -wal} and
 * {@code -shm} companions. Every method takes a tenant id that {@link TenantId} accepted.
 */
public final class TenantFiles {

  private final Path tenantsDir;

  public TenantFiles(Path dataDir) {
    this.tenantsDir = dataDir.resolve("tenants");
  }

  public Path tenantsDir() {
    return tenantsDir;
  }

  /** Returns the database file of a tenant. */
  public Path database(String tenantId) {
    return tenantsDir.resolve(TenantId.validate(tenantId) + ".db");
  }

  /** Returns the database file and its WAL and shared-memory companions. */
  public List<Path> allFiles(String tenantId) {
    return withCompanions(database(tenantId));
  }

  /**
   * Returns the file that a restore copies a backup to and checks, before it renames it
   * over the tenant's database file. It is in the same folder, so the rename is atomic.
   */
  public Path restoreStaging(String tenantId) {
    return tenantsDir.resolve(TenantId.validate(tenantId) + ".db.restore");
  }

  /** Returns any SQLite database file with its {@code -wal} and {@code -shm} companions. */
  public static List<Path> withCompanions(Path database) {
    List<Path> companions = companions(database);
    return List.of(database, companions.get(0), companions.get(1));
  }

  /** Returns the {@code -wal} and {@code -shm} companions of any SQLite database file. */
  public static List<Path> companions(Path database) {
    String name = database.getFileName().toString();
    return List.of(database.resolveSibling(name + "-wal"), database.resolveSibling(name + "-shm"));
  }

  /** Returns whether the tenant's database file exists. Blocking file-system call. */
  public boolean exists(String tenantId) {
    return Files.exists(database(tenantId));
  }

  /**
   * Deletes the database file with its companions, and a staging file that an interrupted
   * restore left. Blocking file-system call.
   */
  public void delete(String tenantId) throws IOException {
    deleteWithCompanions(database(tenantId));
    deleteWithCompanions(restoreStaging(tenantId));
  }

  /** Deletes any SQLite database file with its companions. Blocking file-system call. */
  public static void deleteWithCompanions(Path database) throws IOException {
    for (Path file : withCompanions(database)) {
      Files.deleteIfExists(file);
    }
  }
}
