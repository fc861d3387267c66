package dev.silo.data;

import dev.silo.error.SiloException;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;

/**
 * The reads and inserts that products, customers and invoices share: a table whose key
 * column is {@code id}, read as {@code columns} and mapped to JSON by {@code toJson}.
 *
 * @param entity the entity's name in error messages, such as {@code product}
 */
record Table(String name, String columns, TenantConnection.RowMapper<JsonObject> toJson, String entity) {

  /** Returns {@code SELECT columns FROM name}, to which callers add conditions. */
  String select() {
    return "SELECT " + columns + " FROM " + name;
  }

  /**
   * Returns a page of rows in id order, starting after id {@code after}. Pass 0 or the
   * empty string for the first page, matching the type of the ids.
   */
  JsonObject list(TenantConnection connection, int limit, Object after) throws SQLException {
    return TenantSql.page(connection, select() + " WHERE id > ? ORDER BY id LIMIT ?", new Object[] {after}, limit,
      toJson);
  }

  /** Returns the row with this id, or fails with {@code not_found}. */
  JsonObject get(TenantConnection connection, Object id) throws SQLException {
    return connection.first(select() + " WHERE id = ?", toJson, id).orElseThrow(() -> notFound(id));
  }

  /**
   * Inserts one row, given {@code values} for every column in the order of {@code columns},
   * and returns it as stored.
   */
  JsonObject insert(TenantConnection connection, Object[] values) throws SQLException {
    return connection.first(insertSql() + " RETURNING " + columns, toJson, values).orElseThrow();
  }

  /** Returns {@code INSERT INTO name (columns) VALUES (?, ...)} with one placeholder per column. */
  String insertSql() {
    return "INSERT INTO " + name + " (" + columns + ") VALUES (" + TenantSql.placeholders(columns.split(",").length)
      + ")";
  }

  /** Returns the {@code not_found} error for this id, with a text id in quotes. */
  SiloException notFound(Object id) {
    return SiloException.notFound(entity + " " + quoted(id) + " does not exist");
  }

  /** Returns the {@code conflict} error for an id that is taken. */
  SiloException duplicate(Object id) {
    return SiloException.conflict(entity + " " + quoted(id) + " already exists");
  }

  private static String quoted(Object id) {
    return id instanceof String ? "'" + id + "'" : String.valueOf(id);
  }
}
