package dev.silo.tenant;

import dev.silo.util.Blocking;
import io.agroal.api.AgroalDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The connection pool of one tenant: an Agroal pool of physical SQLite connections under
 * the Vert.x JDBC pool that runs queries on worker threads.
 * <p>
 * Closing the Vert.x pool does not close the Agroal data source, so {@link #close()}
 * closes both, the Vert.x pool first so that it hands its connections back before Agroal
 * shuts down. One {@code TenantDataVerticle} owns each instance and is the only one to
 * open, use and close it.
 */
public final class TenantPool {

  private final String tenantId;
  private final AgroalDataSource dataSource;
  private final Pool pool;
  private long lastUsedNanos = System.nanoTime();
  private int inFlight;

  private TenantPool(String tenantId, AgroalDataSource dataSource, Pool pool) {
    this.tenantId = tenantId;
    this.dataSource = dataSource;
    this.pool = pool;
  }

  /**
   * Opens the pool of a tenant file. Blocking (Agroal starts its housekeeping thread
   * here): call it on a worker thread.
   */
  public static TenantPool open(Vertx vertx, String tenantId, Path database, SqliteSettings settings,
                                int maxSize, Duration acquisitionTimeout) throws SQLException {
    Blocking.requireNotEventLoop();
    AgroalDataSource dataSource = settings.pooled(database, maxSize, acquisitionTimeout);
    PoolOptions poolOptions = new PoolOptions()
      .setMaxSize(maxSize)
      .setMaxWaitQueueSize(maxSize * 256)
      .setConnectionTimeout((int) Math.max(1, acquisitionTimeout.toMillis()))
      .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
      .setName("silo-tenant-" + tenantId);
    return new TenantPool(tenantId, dataSource, JDBCPool.pool(vertx, dataSource, poolOptions));
  }

  public String tenantId() {
    return tenantId;
  }

  public Pool pool() {
    return pool;
  }

  /** Marks the start of a request; the owner calls it on its own thread. */
  public void acquire() {
    inFlight++;
    lastUsedNanos = System.nanoTime();
  }

  /** Marks the end of a request started with {@link #acquire()}. */
  public void release() {
    inFlight--;
    lastUsedNanos = System.nanoTime();
  }

  /** Returns the number of requests between {@link #acquire()} and {@link #release()}. */
  public int inFlight() {
    return inFlight;
  }

  public long lastUsedNanos() {
    return lastUsedNanos;
  }

  /** Returns the Agroal data source, for metrics and tests. */
  public AgroalDataSource dataSource() {
    return dataSource;
  }

  /**
   * Closes the Vert.x pool, then the Agroal data source on a worker thread. The returned
   * future completes when both are closed.
   */
  public Future<Void> close(Vertx vertx) {
    return pool.close()
      .transform(ignored -> vertx.executeBlocking(() -> {
        dataSource.close();
        return null;
      }));
  }
}
