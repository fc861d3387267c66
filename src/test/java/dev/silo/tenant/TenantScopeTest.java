package dev.silo.tenant;

import dev.silo.testing.SiloTestServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

class TenantScopeTest {

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = SiloTestServer.newVertx();
  }

  @AfterEach
  void closeVertx() {
    await(vertx.close());
  }

  @Test
  void freshDuplicatedContextCarriesNoTenant() {
    String seen = await(onDuplicatedContext(() -> {
      ContextInternal fresh = ((ContextInternal) Vertx.currentContext()).duplicate();
      AtomicReference<String> tenant = new AtomicReference<>("unset");
      fresh.dispatch(v -> tenant.set(tenantName()));
      return Future.succeededFuture(tenant.get());
    }));

    assertThat(seen).isNull();
  }

  @Test
  void scopeBindsTenantAcrossAsyncSteps() {
    List<String> seen = await(onDuplicatedContext(() -> TenantScope.call(vertx, tenant("acme"), () -> {
      List<String> steps = new ArrayList<>();
      steps.add(tenantName());
      return vertx.executeBlocking(() -> "blocking step")
        .compose(v -> {
          steps.add(tenantName());
          return timer();
        })
        .map(v -> {
          steps.add(tenantName());
          return steps;
        });
    })));

    assertThat(seen).containsExactly("acme", "acme", "acme");
  }

  @Test
  void callerContextIsUnchangedAfterScope() {
    List<String> seen = await(onDuplicatedContext(() -> {
      List<String> steps = new ArrayList<>();
      Context caller = Vertx.currentContext();
      steps.add(tenantName());
      return TenantScope.call(vertx, tenant("acme"), () -> Future.succeededFuture("done"))
        .map(v -> {
          steps.add(tenantName());
          steps.add(String.valueOf(Vertx.currentContext() == caller));
          return steps;
        });
    }));

    assertThat(seen).containsExactly(null, null, "true");
  }

  @Test
  void nestedScopeRestoresOuterTenantOnFailure() {
    List<String> seen = await(onDuplicatedContext(() -> TenantScope.call(vertx, tenant("outer"), () -> {
      List<String> steps = new ArrayList<>();
      return TenantScope.<String>call(vertx, tenant("inner"), () -> {
          steps.add(tenantName());
          return Future.failedFuture(new IllegalStateException("inner work failed"));
        })
        .recover(failure -> {
          steps.add(tenantName());
          steps.add(failure.getMessage());
          return Future.succeededFuture("recovered");
        })
        .map(v -> steps);
    })));

    assertThat(seen).containsExactly("inner", "outer", "inner work failed");
  }

  @Test
  void scopeRestoresTenantWhenWorkThrows() {
    List<String> seen = await(onDuplicatedContext(() -> TenantScope.call(vertx, tenant("outer"), () -> {
      List<String> steps = new ArrayList<>();
      return TenantScope.<String>call(vertx, tenant("inner"), () -> {
          throw new IllegalArgumentException("thrown synchronously");
        })
        .otherwise(failure -> {
          steps.add(tenantName());
          steps.add(failure.getMessage());
          return "recovered";
        })
        .map(v -> steps);
    })));

    assertThat(seen).containsExactly("outer", "thrown synchronously");
  }

  @Test
  void rootContextTimerHasNoTenant() {
    String seen = await(onDuplicatedContext(() -> TenantScope.call(vertx, tenant("acme"), () -> {
      Promise<String> fired = Promise.promise();
      // vertx.setTimer runs its handler on a new duplicate of the root context.
      ((ContextInternal) Vertx.currentContext()).unwrap().runOnContext(v ->
        vertx.setTimer(1, id -> fired.complete(tenantName())));
      return fired.future();
    })));

    assertThat(seen).isNull();
  }

  @Test
  void currentFailsWithoutTenant() {
    String code = await(onDuplicatedContext(() -> {
      try {
        TenantContext.current();
        return Future.succeededFuture("no failure");
      } catch (dev.silo.error.SiloException e) {
        return Future.succeededFuture(e.code().code());
      }
    }));

    assertThat(code).isEqualTo("tenant_required");
  }

  private static TenantContext tenant(String id) {
    return new TenantContext(id, null);
  }

  private static String tenantName() {
    TenantContext tenant = TenantContext.currentOrNull();
    return tenant == null ? null : tenant.tenantId();
  }

  private Future<Void> timer() {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(5, id -> promise.complete());
    return promise.future();
  }

  /** Runs {@code work} on a duplicated event-loop context, the kind HTTP requests and messages get. */
  private <T> Future<T> onDuplicatedContext(java.util.function.Supplier<Future<T>> work) {
    ContextInternal root = (ContextInternal) vertx.getOrCreateContext();
    ContextInternal duplicate = root.duplicate();
    Promise<T> result = Promise.promise();
    duplicate.runOnContext(v -> work.get().onComplete(result));
    return result.future();
  }
}
