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
    Path db = database(tenantId);
    return List.of(db, db.resolveSibling(db.getFileName() + "-wal"), db.resolveSibling(db.getFileName() + "-shm"));
  }

  /** Returns whether the tenant's database file exists. Blocking file-system call. */
  public boolean exists(String tenantId) {
    return Files.exists(database(tenantId));
  }

  /** Deletes the database file with its companions. Blocking file-system call. */
  public void delete(String tenantId) throws IOException {
    for (Path file : allFiles(tenantId)) {
      Files.deleteIfExists(file);
    }
  }
}
