package dev.silo.tenant;

import dev.silo.testing.SiloTestServer;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteSettingsTest {

  private static final int POOL_SIZE = 4;

  @TempDir
  Path dir;

  private Vertx vertx;
  private TenantPool pool;

  @BeforeEach
  void openPool() throws Exception {
    vertx = SiloTestServer.newVertx();
    SqliteSettings settings = new SqliteSettings("FULL", 4321);
    pool = await(vertx.executeBlocking(() ->
      TenantPool.open(vertx, "acme", dir.resolve("acme.db"), settings, POOL_SIZE, Duration.ofSeconds(5))));
  }

  @AfterEach
  void close() {
    await(pool.close(vertx));
    await(vertx.close());
  }

  @Test
  void everyPooledConnectionHasSameSettings() {
    List<SqlConnection> connections = new ArrayList<>();
    for (int i = 0; i < POOL_SIZE; i++) {
      // Held open at once, so each one is a distinct physical connection.
      connections.add(await(pool.pool().getConnection()));
    }
    try {
      for (SqlConnection connection : connections) {
        assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(connection, "busy_timeout")).isEqualTo("4321");
        assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
        // FULL is 2 in PRAGMA synchronous output.
        assertThat(pragma(connection, "synchronous")).isEqualTo("2");
      }
    } finally {
      connections.forEach(SqlConnection::close);
    }
  }

  @Test
  void jdbcTransactionsTakeWriteLockAtBegin() throws Exception {
    // No busy timeout: a second writer fails at once instead of waiting.
    TenantPool noWait = await(vertx.executeBlocking(() -> TenantPool.open(vertx, "acme", dir.resolve("lock.db"),
      new SqliteSettings("NORMAL", 0), 2, Duration.ofSeconds(5))));
    try (Connection first = noWait.dataSource().getConnection();
         Connection second = noWait.dataSource().getConnection()) {
      first.setAutoCommit(false);

      // Under BEGIN IMMEDIATE the first transaction holds the write lock before it writes
      // anything; with a deferred BEGIN the second one could start too.
      assertThatThrownBy(() -> second.setAutoCommit(false)).hasMessageContaining("SQLITE_BUSY");
      first.rollback();
    } finally {
      await(noWait.close(vertx));
    }
  }

  private static String pragma(SqlConnection connection, String name) {
    return String.valueOf(await(connection.query("PRAGMA " + name).execute()).iterator().next().getValue(0));
  }
}
