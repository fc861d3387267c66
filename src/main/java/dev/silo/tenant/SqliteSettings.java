package dev.silo.tenant;

import dev.silo.config.SiloOptions;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalDataSourceConfiguration.DataSourceImplementation;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The settings every SQLite connection of Silo gets, system and tenant databases alike:
 * WAL journal, foreign keys on, a busy timeout, the configured {@code synchronous} mode,
 * and {@code BEGIN IMMEDIATE} for every transaction.
 * <p>
 * Transactions take the write lock up front because SQLite does not call the busy
 * handler when a deferred transaction tries to upgrade from read to write: the statement
 * fails at once with {@code SQLITE_BUSY} instead of waiting.
 */
public final class SqliteSettings {

  private final String synchronous;
  private final int busyTimeoutMillis;

  public SqliteSettings(SiloOptions options) {
    this(options.get(SiloOptions.SQLITE_SYNCHRONOUS), options.get(SiloOptions.SQLITE_BUSY_TIMEOUT_MS));
  }

  public SqliteSettings(String synchronous, int busyTimeoutMillis) {
    this.synchronous = synchronous;
    this.busyTimeoutMillis = busyTimeoutMillis;
  }

  /** Returns the JDBC URL of a database file. */
  public static String jdbcUrl(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /** Returns the driver properties that apply these settings to each new connection. */
  public Properties driverProperties() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(busyTimeoutMillis);
    // Set as a plain pragma: sqlite-jdbc 3.54's SynchronousMode enum lacks EXTRA, which SQLite supports.
    config.setPragma(SQLiteConfig.Pragma.SYNCHRONOUS, synchronous);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return config.toProperties();
  }

  /**
   * Returns an unpooled data source for the file: each {@code getConnection()} opens a new
   * connection. Used for one-off work such as Flyway migrations.
   */
  public SQLiteDataSource unpooled(Path file) {
    SQLiteDataSource dataSource = new SQLiteDataSource(new SQLiteConfig(driverProperties()));
    dataSource.setUrl(jdbcUrl(file));
    return dataSource;
  }

  /**
   * Returns an unpooled data source that keeps the file's journal mode as it is, so that
   * inspecting a file in rollback-journal mode leaves it in that mode and creates no
   * {@code -wal} or {@code -shm} file.
   */
  public SQLiteDataSource inspection(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(busyTimeoutMillis);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(jdbcUrl(file));
    return dataSource;
  }

  /**
   * Moves every change of a WAL database into its main file and switches it to the
   * rollback-journal mode {@code DELETE}, so the file alone contains the whole database and a
   * plain file copy of it is complete. A connection with these settings switches the copy
   * back to WAL when it opens it. No other connection may have the file open. Blocking.
   *
   * @throws SQLException when SQLite cannot leave WAL mode, for example because the file is open elsewhere
   */
  public static void seal(Path file) throws SQLException {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl(jdbcUrl(file));
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      String mode;
      try (ResultSet result = statement.executeQuery("PRAGMA journal_mode=DELETE")) {
        mode = result.next() ? result.getString(1) : "unknown";
      }
      if (!"delete".equalsIgnoreCase(mode)) {
        throw new SQLException("cannot switch " + file + " to journal mode DELETE; it stays in mode " + mode);
      }
    }
  }

  /**
   * Builds an Agroal pool for the file, for callers that take a connection and give it back
   * for each piece of work. Blocking: it may open the first connection, so call it on a
   * worker thread.
   * <p>
   * Agroal 3.0's pooled implementation starts one housekeeping thread per data source, on
   * which it also opens connections, so keep the number of these pools constant.
   */
  public AgroalDataSource pooled(Path file, int maxSize, Duration acquisitionTimeout) throws SQLException {
    return AgroalDataSource.from(configuration(file, maxSize, acquisitionTimeout, DataSourceImplementation.AGROAL,
      driverProperties()));
  }

  /**
   * Builds an Agroal data source in pool-less mode for a file that already exists, to sit
   * under a Vert.x pool: each {@code getConnection()} opens a SQLite connection, at most
   * {@code maxSize} at once, and closing it closes the SQLite connection. The Vert.x pool
   * keeps and reuses the connections it opened, so pooling them again below it gains
   * nothing.
   * <p>
   * Pool-less mode ({@code AGROAL_POOLLESS}, Agroal's implementation for flush-on-close)
   * has no housekeeping executor, so such a data source starts no thread, where the pooled
   * one starts one per data source. Connections do not create a missing file: they fail
   * with {@code SQLITE_CANTOPEN} instead, so a request that races a tenant's deletion
   * cannot bring back an empty database.
   */
  public AgroalDataSource poolless(Path file, int maxSize, Duration acquisitionTimeout) throws SQLException {
    SQLiteConfig config = new SQLiteConfig(driverProperties());
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    return AgroalDataSource.from(configuration(file, maxSize, acquisitionTimeout,
      DataSourceImplementation.AGROAL_POOLLESS, config.toProperties()));
  }

  private static AgroalDataSourceConfigurationSupplier configuration(Path file, int maxSize, Duration acquisitionTimeout,
                                                                      DataSourceImplementation implementation,
                                                                      Properties properties) {
    return new AgroalDataSourceConfigurationSupplier()
      .dataSourceImplementation(implementation)
      .connectionPoolConfiguration(pool -> pool
        .minSize(0)
        .initialSize(0)
        .maxSize(maxSize)
        .acquisitionTimeout(acquisitionTimeout)
        .connectionFactoryConfiguration(factory -> {
          factory.jdbcUrl(jdbcUrl(file)).connectionProviderClass(org.sqlite.JDBC.class);
          properties.stringPropertyNames().forEach(name -> factory.jdbcProperty(name, properties.getProperty(name)));
          return factory;
        }));
  }
}
