package dev.silo.data;

import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.function.Function;

/**
 * The reads and inserts that products, customers and invoices share: a table whose key
 * column is {@code id}, read as {@code columns} and mapped to JSON by {@code toJson}.
 *
 * @param entity the entity's name in error messages, such as {@code product}
 */
record Table(String name, String columns, Function<Row, JsonObject> toJson, String entity) {

  /** Returns {@code SELECT columns FROM name}, to which callers add conditions. */
  String select() {
    return "SELECT " + columns + " FROM " + name;
  }

  /**
   * Returns a page of rows in id order, starting after id {@code after}. Pass 0 or the
   * empty string for the first page, matching the type of the ids.
   */
  Future<JsonObject> list(int limit, Object after) {
    return TenantSql.page(select() + " WHERE id > ? ORDER BY id LIMIT ?", Tuple.of(after), limit, toJson);
  }

  /** Returns the row with this id, or fails with {@code not_found}. */
  Future<JsonObject> get(Object id) {
    return TenantSql.one(select() + " WHERE id = ?", Tuple.of(id), toJson, () -> notFound(id));
  }

  /**
   * Inserts one row, given {@code values} for every column in the order of {@code columns},
   * and returns it as stored.
   */
  Future<JsonObject> insert(Tuple values) {
    return TenantSql.query(insertSql() + " RETURNING " + columns, values)
      .map(rows -> toJson.apply(rows.iterator().next()));
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
