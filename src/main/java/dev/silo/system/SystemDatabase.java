package dev.silo.system;

import dev.silo.tenant.SqliteSettings;
import dev.silo.util.Blocking;
import io.agroal.api.AgroalDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The system database {@code <data_dir>/system.db}: tenants, staff users, API tokens,
 * feature flags, settings and migration jobs, migrated by Flyway from {@code db/system}.
 * <p>
 * It offers two ways in, each over its own Agroal pool: {@link #pool()} for non-blocking
 * queries from event loops, and {@link #withConnection} / {@link #inTransaction} for
 * blocking work on worker threads (the admin and data verticles). The pools are separate
 * because the Vert.x pool keeps the connections it opened: sharing one Agroal pool let
 * idle Vert.x connections starve blocking callers until their acquisition timed out.
 */
public final class SystemDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(SystemDatabase.class);
  /** Connections of the non-blocking pool, which serves token lookups and readiness checks. */
  private static final int ASYNC_POOL_SIZE = 4;
  private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(10);

  private final Path file;
  private final AgroalDataSource dataSource;
  private final AgroalDataSource asyncDataSource;
  private final Pool pool;

  private SystemDatabase(Path file, AgroalDataSource dataSource, AgroalDataSource asyncDataSource, Pool pool) {
    this.file = file;
    this.dataSource = dataSource;
    this.asyncDataSource = asyncDataSource;
    this.pool = pool;
  }

  /**
   * Creates the data folder when missing, migrates {@code system.db} and opens its pools.
   * Blocking: call it on a worker thread.
   *
   * @param blockingPoolSize connections for blocking callers: at least one per worker
   *                         verticle instance that may call at the same time
   */
  public static SystemDatabase open(Vertx vertx, Path dataDir, SqliteSettings settings, int blockingPoolSize)
    throws SQLException {
    long start = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException("cannot create data folder " + dataDir.toAbsolutePath(), e);
    }
    Path file = dataDir.resolve("system.db");
    Flyway.configure(SystemDatabase.class.getClassLoader())
      .dataSource(settings.unpooled(file))
      .locations("classpath:db/system")
      .loggers("slf4j")
      .load()
      .migrate();
    AgroalDataSource dataSource = settings.pooled(file, blockingPoolSize, ACQUISITION_TIMEOUT);
    AgroalDataSource asyncDataSource = settings.pooled(file, ASYNC_POOL_SIZE, ACQUISITION_TIMEOUT);
    Pool pool = JDBCPool.pool(vertx, asyncDataSource,
      new PoolOptions().setMaxSize(ASYNC_POOL_SIZE).setName("silo-system"));
    LOG.info("System database {} open in {} ms", file.toAbsolutePath(), (System.nanoTime() - start) / 1_000_000);
    return new SystemDatabase(file, dataSource, asyncDataSource, pool);
  }

  public Path file() {
    return file;
  }

  /** Returns the data source behind {@link #withConnection}, so tests can inspect its connections. */
  DataSource blockingDataSourceForTests() {
    return dataSource;
  }

  /** Returns the non-blocking pool; its queries run on worker threads. */
  public Pool pool() {
    return pool;
  }

  /** Runs blocking work with a connection in autocommit mode. */
  public <T> T withConnection(Jdbc.ConnectionWork<T> work) throws SQLException {
    Blocking.requireNotEventLoop();
    try (Connection connection = dataSource.getConnection()) {
      return work.apply(connection);
    }
  }

  /** Runs blocking work in one transaction, committed when it returns and rolled back when it throws. */
  public <T> T inTransaction(Jdbc.ConnectionWork<T> work) throws SQLException {
    Blocking.requireNotEventLoop();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /** Closes the Vert.x pool, then both Agroal data sources. */
  public Future<Void> close(Vertx vertx) {
    return pool.close().transform(ignored -> vertx.executeBlocking(() -> {
      asyncDataSource.close();
      dataSource.close();
      return null;
    }));
  }
}
