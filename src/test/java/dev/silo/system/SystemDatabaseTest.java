package dev.silo.system;

import dev.silo.tenant.SqliteSettings;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

class SystemDatabaseTest {

  private static final int BLOCKING_POOL_SIZE = 3;

  @TempDir
  Path dir;

  private Vertx vertx;
  private SystemDatabase database;

  @BeforeEach
  void open() {
    vertx = SiloTestServer.newVertx();
    database = await(vertx.executeBlocking(() ->
      SystemDatabase.open(vertx, dir, new SqliteSettings("EXTRA", 1234), BLOCKING_POOL_SIZE)));
  }

  @AfterEach
  void close() {
    await(database.close(vertx));
    await(vertx.close());
  }

  @Test
  void blockingConnectionsHaveSameSettings() throws SQLException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < BLOCKING_POOL_SIZE; i++) {
        connections.add(database.blockingDataSourceForTests().getConnection());
      }
      for (Connection connection : connections) {
        assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(connection, "busy_timeout")).isEqualTo("1234");
        assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
        // EXTRA is 3 in PRAGMA synchronous output.
        assertThat(pragma(connection, "synchronous")).isEqualTo("3");
      }
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  @Test
  void pendingTenantsUseStatusIndex() throws SQLException {
    String plan = database.withConnection(c -> String.join("; ", Jdbc.query(c,
      "EXPLAIN QUERY PLAN SELECT tenant_id FROM migration_job_tenants WHERE job_id = ? AND status = ? "
        + "ORDER BY tenant_id LIMIT ?", row -> row.getString("detail"), "job", "pending", 1)));

    assertThat(plan).contains("migration_job_tenants_status").doesNotContain("TEMP B-TREE");
  }

  @Test
  void nonBlockingConnectionsHaveSameSettings() {
    List<SqlConnection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        connections.add(await(database.pool().getConnection()));
      }
      for (SqlConnection connection : connections) {
        assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(connection, "busy_timeout")).isEqualTo("1234");
        assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(connection, "synchronous")).isEqualTo("3");
      }
    } finally {
      connections.forEach(SqlConnection::close);
    }
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static String pragma(SqlConnection connection, String name) {
    return String.valueOf(await(connection.query("PRAGMA " + name).execute()).iterator().next().getValue(0));
  }
}
