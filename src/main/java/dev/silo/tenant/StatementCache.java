package dev.silo.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepared statements of one JDBC connection, by SQL text, so each statement is
 * prepared once per connection instead of once per execution.
 * <p>
 * Not thread-safe: only the thread that has borrowed the connection may use it. Closing the
 * connection closes its statements, so the cache needs no close of its own.
 */
public final class StatementCache {

  /**
   * Statements kept per connection. The repositories use a few dozen fixed SQL texts;
   * the rest, such as {@code IN} lists of varying length, come and go in LRU order.
   */
  static final int MAX_STATEMENTS = 64;

  private final Connection connection;
  private final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(32, 0.75f, true);

  StatementCache(Connection connection) {
    this.connection = connection;
  }

  /**
   * Returns a prepared statement for {@code sql} with no parameters bound, preparing it
   * when the cache has none. The caller must close every result set it opens on it and
   * must not close the statement.
   */
  public PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement != null && !statement.isClosed()) {
      statement.clearParameters();
      return statement;
    }
    statement = connection.prepareStatement(sql);
    statements.put(sql, statement);
    if (statements.size() > MAX_STATEMENTS) {
      closeEldest();
    }
    return statement;
  }

  /** Returns the number of statements held, for tests. */
  int size() {
    return statements.size();
  }

  private void closeEldest() throws SQLException {
    Iterator<Map.Entry<String, PreparedStatement>> eldest = statements.entrySet().iterator();
    PreparedStatement statement = eldest.next().getValue();
    eldest.remove();
    statement.close();
  }
}
