package dev.silo.data;

import dev.silo.config.SiloOptions;
import dev.silo.metrics.SiloMetrics;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantPool;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pools of one data verticle, driven on a worker context as the verticle drives them. */
class TenantPoolsTest {

  private static final SqliteSettings SETTINGS = new SqliteSettings("NORMAL", 5_000);
  /** Options whose registry no Vert.x instance enabled, so the meters record nothing. */
  private static final SiloOptions OPTIONS = SiloOptions.defaults();
  private static final int MAX_OPEN = 32;

  @TempDir
  Path dir;

  private Vertx vertx;
  private Context context;
  private PoolBudget budget;
  private TenantPools pools;

  @BeforeEach
  void deploy() {
    vertx = SiloTestServer.newVertx();
    budget = new PoolBudget(MAX_OPEN);
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        TenantPoolsTest.this.context = context;
        pools = new TenantPools(vertx, 0, budget, SETTINGS, 4, Duration.ofSeconds(5), SiloMetrics.of(OPTIONS));
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void closeWaitsForRequestInFlight() throws Exception {
    Path database = create("drain");
    TenantPool pool = onPools(() -> pools.acquire("drain", () -> database));

    Future<Void> closed = onPools(() -> Future.succeededFuture(pools.close("drain", "test")));

    // The close could end within milliseconds, so a second without it shows that it waits.
    CompletableFuture<Void> closing = closed.toCompletionStage().toCompletableFuture();
    assertThatThrownBy(() -> closing.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(onPools(() -> Future.succeededFuture(pools.isOpen("drain")))).isFalse();
    assertThat(await(pool.pool().query("SELECT 1").execute()).size()).as("rows from the draining pool").isEqualTo(1);
    onPools(() -> {
      pools.release(pool);
      return Future.succeededFuture();
    });
    await(closed);
    assertThat(budget.taken()).isZero();
  }

  @Test
  void evictKeepsBusyPool() throws Exception {
    Path database = create("evict");
    TenantPool pool = onPools(() -> pools.acquire("evict", () -> database));

    boolean evictedWhileBusy = onPools(() -> pools.evict("evict"));
    onPools(() -> {
      pools.release(pool);
      return Future.succeededFuture();
    });
    boolean evictedWhenIdle = onPools(() -> pools.evict("evict"));

    assertThat(evictedWhileBusy).isFalse();
    assertThat(evictedWhenIdle).isTrue();
    assertThat(onPools(() -> Future.succeededFuture(pools.isOpen("evict")))).isFalse();
    assertThat(budget.taken()).isZero();
  }

  @Test
  void acquireAfterCloseOpensNewPool() throws Exception {
    Path database = create("again");
    TenantPool first = onPools(() -> pools.acquire("again", () -> database));
    onPools(() -> {
      pools.release(first);
      return pools.close("again", "test");
    });

    TenantPool second = onPools(() -> pools.acquire("again", () -> database));

    assertThat(second).isNotSameAs(first);
    assertThat(await(second.pool().query("SELECT 1").execute()).size()).isEqualTo(1);
    assertThat(budget.taken()).isEqualTo(1);
  }

  /** Runs {@code action} on the worker context that owns the pools, and waits for its result. */
  private <T> T onPools(Supplier<Future<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    }));
    return result.join();
  }

  /** Creates a tenant database file, as provisioning does. */
  private Path create(String tenant) throws Exception {
    Path file = dir.resolve(tenant + ".db");
    try (Connection connection = SETTINGS.unpooled(file).getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
    return file;
  }
}
