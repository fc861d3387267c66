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
    create(dir.resolve("acme.db"));
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
    create(dir.resolve("lock.db"));
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

  @Test
  void tenantPoolDoesNotCreateMissingFile() {
    Path missing = dir.resolve("missing.db");
    TenantPool onMissing = await(vertx.executeBlocking(() -> TenantPool.open(vertx, "missing", missing,
      new SqliteSettings("NORMAL", 0), 1, Duration.ofSeconds(5))));
    try {
      assertThatThrownBy(() -> await(onMissing.pool().query("SELECT 1").execute()))
        .hasMessageContaining("SQLITE_CANTOPEN");
      assertThat(missing).doesNotExist();
    } finally {
      await(onMissing.close(vertx));
    }
    assertThat(missing).doesNotExist();
  }

  @Test
  void tenantPoolsStartNoThreads() throws Exception {
    int before = agroalThreads();
    List<TenantPool> opened = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Path file = dir.resolve("threads-" + i + ".db");
        create(file);
        TenantPool tenantPool = await(vertx.executeBlocking(() -> TenantPool.open(vertx, "threads", file,
          new SqliteSettings("NORMAL", 0), POOL_SIZE, Duration.ofSeconds(5))));
        opened.add(tenantPool);
        await(tenantPool.pool().query("SELECT 1").execute());
      }

      assertThat(agroalThreads()).as("Agroal threads with %d open pools", opened.size()).isEqualTo(before);
    } finally {
      opened.forEach(tenantPool -> await(tenantPool.close(vertx)));
    }
  }

  /** Returns the number of live threads that Agroal's housekeeping executors started. */
  private static int agroalThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
      .filter(thread -> thread.getName().startsWith("agroal-"))
      .count();
  }

  /** Creates a database file, as provisioning does before a tenant pool opens on it. */
  private static void create(Path file) throws Exception {
    try (Connection connection = new SqliteSettings("NORMAL", 0).unpooled(file).getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
  }

  private static String pragma(SqlConnection connection, String name) {
    return String.valueOf(await(connection.query("PRAGMA " + name).execute()).iterator().next().getValue(0));
  }
}
