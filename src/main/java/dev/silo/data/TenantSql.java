package dev.silo.data;

import dev.silo.error.SiloException;
import dev.silo.tenant.TenantContext;
import dev.silo.util.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs SQL for the repositories on the pool of the current tenant, which it takes from
 * {@link TenantContext#current()} and from nowhere else.
 * <p>
 * Call it on a context bound by {@code TenantScope}. Statements run on the worker threads
 * of the Vert.x JDBC pool and the futures complete on the calling context.
 */
final class TenantSql {

  private TenantSql() {
  }

  /** Runs one prepared statement on the tenant's pool, which lends a connection for it. */
  static Future<RowSet<Row>> query(String sql, Tuple arguments) {
    return pool().preparedQuery(sql).execute(arguments);
  }

  /**
   * Runs {@code work} in one transaction on one connection: {@code BEGIN IMMEDIATE}, then
   * {@code COMMIT} when the returned future succeeds or {@code ROLLBACK} when it fails.
   * <p>
   * The transaction is driven with SQL statements on a connection in autocommit mode, not
   * with {@code Pool.withTransaction}: vertx-jdbc-client 5.0.7 leaves the JDBC connection
   * in manual-commit mode after a commit, and sqlite-jdbc 3.54 starts the next transaction
   * right after each commit. Together they return the connection to the pool inside an
   * open {@code BEGIN IMMEDIATE}, which holds the tenant's write lock until that connection
   * is used again, so every other writer waits out its busy timeout.
   */
  static <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool().withConnection(connection -> connection.query("BEGIN IMMEDIATE").execute()
      // compose turns an exception thrown by work into a failed future, which rolls back.
      .compose(begun -> Future.<Void>succeededFuture().compose(v -> work.apply(connection))
        .compose(result -> connection.query("COMMIT").execute().map(result))
        .recover(failure -> rollback(connection, failure))));
  }

  private static <T> Future<T> rollback(SqlConnection connection, Throwable failure) {
    return connection.query("ROLLBACK").execute()
      .transform(rolledBack -> {
        if (rolledBack.failed()) {
          failure.addSuppressed(rolledBack.cause());
        }
        return Future.failedFuture(failure);
      });
  }

  /**
   * Runs a list query that ends in {@code LIMIT ?} and builds a page whose cursor is the
   * {@code id} of its last item. {@code arguments} must not yet contain the limit.
   */
  static Future<JsonObject> page(String sql, Tuple arguments, int limit, Function<Row, JsonObject> toJson) {
    // The extra row shows whether a next page exists.
    return query(sql, arguments.addInteger(limit + 1))
      .map(rows -> Page.of(toJsonList(rows, toJson), limit, item -> item.getValue("id")));
  }

  /** Runs a query for one row and maps it, or fails with {@code notFound} when there is none. */
  static Future<JsonObject> one(SqlClient client, String sql, Tuple arguments, Function<Row, JsonObject> toJson,
                                Supplier<SiloException> notFound) {
    return client.preparedQuery(sql).execute(arguments).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(notFound.get());
      }
      return Future.succeededFuture(toJson.apply(rows.iterator().next()));
    });
  }

  /** Runs {@link #one} on the tenant's pool. */
  static Future<JsonObject> one(String sql, Tuple arguments, Function<Row, JsonObject> toJson,
                                Supplier<SiloException> notFound) {
    return one(pool(), sql, arguments, toJson, notFound);
  }

  /** Runs a batch of one statement. An empty batch runs nothing. */
  static Future<Void> batch(SqlClient client, String sql, List<Tuple> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery(sql).executeBatch(batch).mapEmpty();
  }

  /** Returns {@code "?, ?, ?"} with {@code count} placeholders, for an {@code IN (...)} list. */
  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  private static List<JsonObject> toJsonList(RowSet<Row> rows, Function<Row, JsonObject> toJson) {
    List<JsonObject> items = new ArrayList<>(rows.size());
    for (Row row : rows) {
      items.add(toJson.apply(row));
    }
    return items;
  }

  private static Pool pool() {
    return TenantContext.current().pool();
  }
}
