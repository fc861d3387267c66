package dev.silo.data;

import dev.silo.tenant.StatementCache;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One JDBC connection of the current tenant, lent to a repository for one piece of
 * blocking work by {@link TenantSql}. Statements come from the connection's
 * {@link StatementCache}, so a repeated SQL text is prepared once per connection.
 * <p>
 * Use it only on the worker thread that runs the work, and only until the work returns.
 */
final class TenantConnection {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private final StatementCache statements;

  TenantConnection(StatementCache statements) {
    this.statements = statements;
  }

  /** Runs a query and maps every row. */
  <T> List<T> list(String sql, RowMapper<T> mapper, Object... arguments) throws SQLException {
    PreparedStatement statement = prepare(sql, arguments);
    // Closing the result set resets the cached statement, which ends its read of the database.
    try (ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return result;
    }
  }

  /** Runs a query, or a statement with {@code RETURNING}, and maps its first row. */
  <T> Optional<T> first(String sql, RowMapper<T> mapper, Object... arguments) throws SQLException {
    PreparedStatement statement = prepare(sql, arguments);
    try (ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      // SQLite makes every change of a RETURNING statement in its first step.
      return Optional.of(mapper.map(rows));
    }
  }

  /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it changed. */
  int update(String sql, Object... arguments) throws SQLException {
    return prepare(sql, arguments).executeUpdate();
  }

  /**
   * Runs one statement once per element of {@code batch}, each element holding its
   * arguments, and stops at the first failure.
   *
   * @throws BatchFailure with the index of the element that failed
   */
  void batch(String sql, List<Object[]> batch) throws SQLException {
    for (int i = 0; i < batch.size(); i++) {
      try {
        update(sql, batch.get(i));
      } catch (SQLException e) {
        throw new BatchFailure(i, e);
      }
    }
  }

  /** Runs a statement without arguments, such as {@code BEGIN IMMEDIATE}. */
  void execute(String sql) throws SQLException {
    statements.prepare(sql).execute();
  }

  /** Returns the connection's statement cache, for tests. */
  StatementCache statements() {
    return statements;
  }

  private PreparedStatement prepare(String sql, Object[] arguments) throws SQLException {
    PreparedStatement statement = statements.prepare(sql);
    for (int i = 0; i < arguments.length; i++) {
      statement.setObject(i + 1, arguments[i]);
    }
    return statement;
  }
}
