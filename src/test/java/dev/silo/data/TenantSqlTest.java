package dev.silo.data;

import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantContext;
import dev.silo.tenant.TenantPool;
import dev.silo.tenant.TenantScope;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantSqlTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private TenantPool pool;

  @BeforeEach
  void openPool() throws Exception {
    vertx = SiloTestServer.newVertx();
    // No busy timeout, so a lock left behind fails the next writer at once.
    SqliteSettings settings = new SqliteSettings("NORMAL", 0);
    // Tenant pools open existing files only; provisioning creates them.
    try (Connection created = settings.unpooled(dir.resolve("acme.db")).getConnection()) {
      assertThat(created.isValid(1)).isTrue();
    }
    pool = await(vertx.executeBlocking(() -> TenantPool.open(vertx, "acme", dir.resolve("acme.db"), settings, 2,
      Duration.ofSeconds(5))));
    await(pool.pool().query("CREATE TABLE t (v INTEGER NOT NULL)").execute());
  }

  @AfterEach
  void close() {
    await(pool.close(vertx));
    await(vertx.close());
  }

  @Test
  void commitReleasesWriteLock() {
    await(inScope(() -> TenantSql.inTransaction(c -> c.update("INSERT INTO t VALUES (1)"))));

    // Two connections held at once, so one of them is the one the transaction used.
    SqlConnection first = await(pool.pool().getConnection());
    SqlConnection second = await(pool.pool().getConnection());
    try {
      for (SqlConnection connection : new SqlConnection[] {first, second}) {
        await(connection.query("BEGIN IMMEDIATE").execute());
        await(connection.query("INSERT INTO t VALUES (2)").execute());
        await(connection.query("COMMIT").execute());
      }
    } finally {
      first.close();
      second.close();
    }
    assertThat(count()).isEqualTo(3);
  }

  @Test
  void failedWorkRollsBack() {
    Future<Object> result = inScope(() -> TenantSql.inTransaction(c -> {
      c.update("INSERT INTO t VALUES (1)");
      throw new SQLException("work failed");
    }));

    assertThatThrownBy(() -> await(result)).hasMessage("work failed");
    assertThat(count()).isZero();
  }

  @Test
  void thrownWorkRollsBack() {
    Future<Object> result = inScope(() -> TenantSql.inTransaction(c -> {
      throw new IllegalArgumentException("thrown by work");
    }));

    assertThatThrownBy(() -> await(result)).hasMessage("thrown by work");
    assertThat(count()).isZero();
    await(inScope(() -> TenantSql.inTransaction(c -> c.update("INSERT INTO t VALUES (1)"))));
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void failedCommitRollsBack() {
    await(pool.pool().query("CREATE TABLE parent (id INTEGER PRIMARY KEY)").execute());
    await(pool.pool().query("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) "
      + "DEFERRABLE INITIALLY DEFERRED)").execute());

    // The deferred foreign key is checked at COMMIT, which then fails.
    Future<Object> result = inScope(() -> TenantSql.inTransaction(c -> {
      c.update("INSERT INTO t VALUES (1)");
      return c.update("INSERT INTO child VALUES (42)");
    }));

    assertThatThrownBy(() -> await(result)).hasMessageContaining("FOREIGN KEY");
    assertThat(count()).isZero();
    // With no busy timeout, a transaction left open would fail these writers at once.
    SqlConnection first = await(pool.pool().getConnection());
    SqlConnection second = await(pool.pool().getConnection());
    try {
      for (SqlConnection connection : new SqlConnection[] {first, second}) {
        await(connection.query("INSERT INTO t VALUES (2)").execute());
      }
    } finally {
      first.close();
      second.close();
    }
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void callReusesPreparedStatement() {
    String sql = "SELECT count(*) AS n FROM t WHERE v > ?";
    // Two connections at most: both calls may land on either, so run enough to repeat one.
    List<PreparedStatement> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seen.add(await(inScope(() -> TenantSql.call(c -> {
        assertThat(c.first(sql, row -> row.getLong("n"), 0)).contains(0L);
        return c.statements().prepare(sql);
      }))));
    }

    assertThat(Set.copyOf(seen)).hasSizeLessThan(3);
  }

  @Test
  void firstFinishesReturningInsert() {
    await(inScope(() -> TenantSql.call(c -> c.first("INSERT INTO t VALUES (7), (8) RETURNING v",
      row -> row.getLong("v")))));

    assertThat(count()).isEqualTo(2);
  }

  private long count() {
    return await(pool.pool().query("SELECT count(*) FROM t").execute()).iterator().next().getLong(0);
  }

  /** Runs {@code work} on a Vert.x thread in a tenant scope, as the data verticle does. */
  @SuppressWarnings("unchecked")
  private <T> Future<T> inScope(Supplier<Future<?>> work) {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(v -> TenantScope.call(vertx, new TenantContext("acme", pool), () -> (Future<T>) work.get())
      .onComplete(result));
    return result.future();
  }
}
