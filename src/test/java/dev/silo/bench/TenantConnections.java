package dev.silo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * Thread-confined tenant connections: each worker thread opens its own
 * {@link TenantConnection} to a tenant file on first use and keeps it, so no two threads
 * use one connection and no pool or lock sits on the request path.
 * <p>
 * With W worker threads and T tenants this holds up to W × T connections, each with an
 * open file, its {@code -wal} file and its {@code -shm} mapping.
 */
final class TenantConnections implements AutoCloseable {

  /** Silo's syntax of tenant ids, without its reserved words. It keeps ids from naming a path outside the folder. */
  private static final Pattern TENANT_ID = Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");

  private final Path folder;
  private final ThreadLocal<Map<String, TenantConnection>> byThread = ThreadLocal.withInitial(HashMap::new);
  private final Queue<TenantConnection> opened = new ConcurrentLinkedQueue<>();

  /** Serves the tenant files {@code <folder>/<tenant id>.db}, which must exist already. */
  TenantConnections(Path folder) {
    this.folder = folder;
  }

  /**
   * Returns the calling thread's connection to the tenant, opening it on first use. Runs
   * on a worker thread, because opening is blocking.
   *
   * @throws BaselineException 400 for an invalid tenant id, 404 when the tenant has no file
   */
  TenantConnection get(String tenantId) throws SQLException {
    Map<String, TenantConnection> connections = byThread.get();
    TenantConnection connection = connections.get(tenantId);
    if (connection == null) {
      connection = open(tenantId);
      connections.put(tenantId, connection);
      opened.add(connection);
    }
    return connection;
  }

  private TenantConnection open(String tenantId) throws SQLException {
    if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
      throw new BaselineException(400, "invalid_tenant_id", "header X-Tenant-ID must be a tenant id such as 'bench-000'");
    }
    Path file = folder.resolve(tenantId + ".db");
    // SQLite would create a missing file; a tenant that does not exist is an error instead.
    if (!Files.isRegularFile(file)) {
      throw new BaselineException(404, "tenant_not_found", "tenant '" + tenantId + "' has no file in " + folder);
    }
    return new TenantConnection(file);
  }

  /**
   * Closes every connection that any thread opened. Call it only after the worker threads
   * have stopped using them, for example after {@code Vertx.close()} has completed.
   */
  @Override
  public void close() {
    for (TenantConnection connection; (connection = opened.poll()) != null; ) {
      try {
        connection.close();
      } catch (SQLException e) {
        System.err.println("failed to close a tenant connection: " + e);
      }
    }
  }
}
