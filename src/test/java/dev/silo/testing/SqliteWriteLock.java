package dev.silo.testing;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A test's own connection to a tenant file that holds the write lock with
 * {@code BEGIN IMMEDIATE}. The server's writes to that file wait in SQLite's busy handler
 * until {@link #release()}, so a test can keep requests in flight for as long as it needs,
 * up to the server's busy timeout.
 * <p>
 * The connection stays open after {@link #release()} until {@link #close()}: while it is
 * open, SQLite cannot delete the file's WAL when the server closes its own connections.
 */
public final class SqliteWriteLock implements AutoCloseable {

  private final Connection connection;
  private boolean held;

  private SqliteWriteLock(Connection connection) {
    this.connection = connection;
  }

  /** Opens a connection to an existing database file and takes its write lock. */
  public static SqliteWriteLock hold(Path database) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // A missing file is an error, not a new empty database.
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    // A new tenant's file is in rollback-journal mode until its first connection switches it
    // to WAL. Switching here, before the server opens it, keeps the server's connections from
    // waiting for this lock just to switch the mode.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath(),
      config.toProperties());
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    SqliteWriteLock lock = new SqliteWriteLock(connection);
    lock.held = true;
    return lock;
  }

  /** Ends the transaction, which lets the waiting writers go on. */
  public void release() throws SQLException {
    if (held) {
      held = false;
      try (Statement statement = connection.createStatement()) {
        statement.execute("ROLLBACK");
      }
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      release();
    } finally {
      connection.close();
    }
  }
}
