package dev.silo.tenant;

import dev.silo.util.Blocking;
import io.agroal.api.AgroalDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The connection pool of one tenant: the Vert.x JDBC pool that runs queries on worker
 * threads, over a pool-less Agroal data source that opens and closes the SQLite
 * connections (see {@link SqliteSettings#poolless}).
 * <p>
 * One {@code TenantDataVerticle} owns each instance and is the only one to open, use and
 * close it, on its own thread. Other threads may read {@link #inFlight()} and
 * {@link #lastUsedNanos()}, for example to pick a pool to evict, but must ask the owner to
 * close it.
 */
public final class TenantPool {

  private static final Logger LOG = LoggerFactory.getLogger(TenantPool.class);

  private final String tenantId;
  private final AgroalDataSource dataSource;
  private final Pool pool;
  /** Statement caches by JDBC connection; the Vert.x pool keeps each connection until it closes. */
  private final Map<Connection, StatementCache> statementCaches = new ConcurrentHashMap<>();
  // Written by the owner only; volatile so that other threads read current values.
  private volatile long lastUsedNanos = System.nanoTime();
  private volatile int inFlight;

  private TenantPool(String tenantId, AgroalDataSource dataSource, Pool pool) {
    this.tenantId = tenantId;
    this.dataSource = dataSource;
    this.pool = pool;
  }

  /**
   * Opens the pool of a tenant file that exists. No connection is opened yet. Blocking:
   * call it on a worker thread.
   */
  public static TenantPool open(Vertx vertx, String tenantId, Path database, SqliteSettings settings,
                                int maxSize, Duration acquisitionTimeout) throws SQLException {
    Blocking.requireNotEventLoop();
    AgroalDataSource dataSource = settings.poolless(database, maxSize, acquisitionTimeout);
    PoolOptions poolOptions = new PoolOptions()
      .setMaxSize(maxSize)
      .setMaxWaitQueueSize(maxSize * 256)
      .setConnectionTimeout((int) Math.max(1, acquisitionTimeout.toMillis()))
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
      .setName("silo-tenant-" + tenantId);
    return new TenantPool(tenantId, dataSource, JDBCPool.pool(vertx, dataSource, poolOptions));
  }

  public String tenantId() {
    return tenantId;
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Returns the prepared statement cache of one of this pool's JDBC connections, for the
   * thread that has borrowed the connection.
   */
  public StatementCache statements(Connection connection) {
    return statementCaches.computeIfAbsent(connection, StatementCache::new);
  }

  /** Marks the start of a request; the owner calls it on its own thread. */
  public void acquire() {
    inFlight++;
    lastUsedNanos = System.nanoTime();
  }

  /** Marks the end of a request started with {@link #acquire()}; the owner calls it on its own thread. */
  public void release() {
    inFlight--;
    lastUsedNanos = System.nanoTime();
  }

  /** Returns the number of requests between {@link #acquire()} and {@link #release()}. */
  public int inFlight() {
    return inFlight;
  }

  /** Returns the {@link System#nanoTime()} of the last {@link #acquire()} or {@link #release()}. */
  public long lastUsedNanos() {
    return lastUsedNanos;
  }

  /** Returns the Agroal data source, for metrics and tests. */
  public AgroalDataSource dataSource() {
    return dataSource;
  }

  /**
   * Checkpoints the WAL into the database file and truncates it, then closes the Vert.x
   * pool, then the Agroal data source on a worker thread. Call it once no request uses the
   * pool. The returned future completes when both are closed; a failed checkpoint is
   * logged and does not stop the close.
   * <p>
   * SQLite checkpoints and deletes the WAL by itself when the last connection to a file
   * closes, but not when another connection, in this process or another, still has the
   * file open. {@code wal_checkpoint(TRUNCATE)} leaves an empty WAL in that case too, so a
   * stopped server leaves no data in {@code -wal} files.
   */
  public Future<Void> close(Vertx vertx) {
    return checkpoint()
      .transform(ignored -> pool.close())
      .andThen(ignored -> statementCaches.clear())
      .transform(ignored -> vertx.executeBlocking(() -> {
        dataSource.close();
        return null;
      }));
  }

  private Future<Void> checkpoint() {
    return pool.query("PRAGMA wal_checkpoint(TRUNCATE)").execute()
      .map(rows -> {
        Row row = rows.iterator().next();
        // The pragma returns (busy, log pages, checkpointed pages); busy is 1 when a reader or writer blocked it.
        if (row.getInteger(0) != 0) {
          LOG.warn("WAL checkpoint of tenant {} was blocked: {} of {} pages copied", tenantId,
            row.getInteger(2), row.getInteger(1));
        }
        return (Void) null;
      })
      .onFailure(e -> LOG.warn("WAL checkpoint of tenant {} failed", tenantId, e));
  }
}
