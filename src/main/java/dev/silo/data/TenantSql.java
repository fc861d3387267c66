package dev.silo.data;

import dev.silo.tenant.TenantContext;
import dev.silo.tenant.TenantPool;
import dev.silo.util.Page;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.impl.ConnectionImpl;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;

/**
 * Runs the repositories' SQL on the pool of the current tenant, which it takes from
 * {@link TenantContext#current()} and from nowhere else.
 * <p>
 * A piece of work borrows one connection from the tenant's Vert.x JDBC pool and runs as
 * one blocking task on a worker thread, with plain JDBC and the connection's cached
 * prepared statements. vertx-jdbc-client 5.0.7 prepares a statement, reads its result
 * metadata and decodes every column through generic type mapping on each execution. Each
 * of its statements is also a separate hop to a worker thread. A profile of product reads
 * showed more than half of the server's CPU time in that client.
 * <p>
 * Call it on a context bound by {@code TenantScope}; the returned futures complete on
 * that context.
 */
final class TenantSql {

  /** Blocking work on the tenant's connection. */
  @FunctionalInterface
  interface Work<T> {
    T apply(TenantConnection connection) throws SQLException;
  }

  private TenantSql() {
  }

  /** Runs {@code work} on one connection in autocommit mode: each statement commits on its own. */
  static <T> Future<T> call(Work<T> work) {
    TenantPool tenant = TenantContext.current().pool();
    Context context = Vertx.currentContext();
    return tenant.pool().withConnection(connection -> context.executeBlocking(() -> {
      Connection jdbc = jdbcConnection(connection);
      return work.apply(new TenantConnection(tenant.statements(jdbc)));
    }, false));
  }

  /**
   * Runs {@code work} in one transaction on one connection: {@code BEGIN IMMEDIATE}, then
   * {@code COMMIT} when it returns or {@code ROLLBACK} when it throws.
   * <p>
   * The transaction is driven with SQL statements on a connection in autocommit mode, not
   * with {@link Connection#setAutoCommit}: sqlite-jdbc 3.54 starts the next transaction
   * right after each commit in manual-commit mode, which would keep the tenant's write
   * lock on a connection resting in the pool, so every other writer would wait out its
   * busy timeout. {@code IMMEDIATE} takes the write lock at the start, so a read inside
   * the transaction stays valid until the commit.
   */
  static <T> Future<T> inTransaction(Work<T> work) {
    return call(connection -> {
      connection.execute("BEGIN IMMEDIATE");
      try {
        T result = work.apply(connection);
        // A failed COMMIT, such as a deferred foreign key check, leaves the transaction open.
        connection.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException | Error failure) {
        rollback(connection, failure);
        throw failure;
      }
    });
  }

  private static void rollback(TenantConnection connection, Throwable failure) {
    try {
      connection.execute("ROLLBACK");
    } catch (SQLException | RuntimeException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
    }
  }

  /**
   * Runs a list query that ends in {@code LIMIT ?} and builds a page whose cursor is the
   * {@code id} of its last item. {@code arguments} must not contain the limit.
   */
  static JsonObject page(TenantConnection connection, String sql, Object[] arguments, int limit,
                         TenantConnection.RowMapper<JsonObject> toJson) throws SQLException {
    Object[] withLimit = Arrays.copyOf(arguments, arguments.length + 1);
    // The extra row shows whether a next page exists.
    withLimit[arguments.length] = limit + 1;
    return Page.of(connection.list(sql, toJson, withLimit), limit, item -> item.getValue("id"));
  }

  /** Returns {@code "?, ?, ?"} with {@code count} placeholders, for an {@code IN (...)} list. */
  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  /**
   * Returns the JDBC connection under a connection of a Vert.x JDBC pool, as the
   * package-private {@code io.vertx.jdbcclient.JDBCUtils.unwrap} does.
   */
  // NOTE: uses internal types of vertx-sql-client and vertx-jdbc-client 5.0.7; TenantSqlTest fails when they change.
  private static Connection jdbcConnection(SqlConnection connection) {
    io.vertx.sqlclient.internal.Connection internal = ((SqlConnectionInternal) connection).unwrap();
    if (!(internal instanceof ConnectionImpl)) {
      // A pooled connection wraps the JDBC client's own.
      internal = internal.unwrap();
    }
    return ((ConnectionImpl) internal).getJDBCConnection();
  }
}
