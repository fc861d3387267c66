package dev.silo.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Blocking JDBC helpers for the system database; call them on a worker thread. */
public final class Jdbc {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Work done with one connection. */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  private Jdbc() {
  }

  public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
    throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return result;
    }
  }

  public static <T> Optional<T> queryOne(Connection connection, String sql, RowMapper<T> mapper, Object... params)
    throws SQLException {
    List<T> rows = query(connection, sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it changed. */
  public static int update(Connection connection, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, params)) {
      return statement.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }
}
