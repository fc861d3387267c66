package dev.silo.http;

import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.error.SiloException;
import dev.silo.metrics.SiloMetrics;
import dev.silo.util.Drain;
import dev.silo.util.SiloVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handlers of the routes for operators, which need no token: {@code GET /metrics}, and
 * {@code GET /health} (the process serves HTTP) and {@code GET /ready} (the server is not
 * shutting down, the system database replies, the admin verticle is deployed, and the data
 * folder is writable with enough free space). Both health routes reply {@code {"status", "checks": [{"id", "status", "data"}],
 * "outcome"}}, with 200 when every check is UP and 503 otherwise. No handler blocks the event loop.
 */
final class OperationsRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(OperationsRoutes.class);

  /** Content type of the Prometheus text exposition format that {@code scrape()} writes. */
  private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Time each readiness check may take before it counts as DOWN, in milliseconds. */
  private static final long CHECK_TIMEOUT_MS = 2_000;
  private static final long BYTES_PER_MIB = 1024L * 1024L;

  private OperationsRoutes() {
  }

  /** Returns the handler of {@code GET /metrics}: Prometheus text, or 404 when metrics are not enabled. */
  static Handler<RoutingContext> metrics(Vertx vertx, SiloMetrics metrics) {
    if (metrics.prometheus() == null) {
      return ctx -> ctx.fail(SiloException.notFound("metrics are not enabled in this process"));
    }
    // The scrape formats every series, which takes time in proportion to their number, so a worker runs it.
    return ctx -> vertx.executeBlocking(() -> metrics.prometheus().scrape(), false)
      .onSuccess(text -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE).end(text))
      .onFailure(ctx::fail);
  }

  /** Returns the handler of {@code GET /health}, whose one check passes while an event loop serves it. */
  static Handler<RoutingContext> liveness(Vertx vertx) {
    HealthChecks checks = HealthChecks.create(vertx)
      .register("http", promise -> promise.complete(Status.OK(new JsonObject().put("version", SiloVersion.get()))));
    return HealthCheckHandler.createWithHealthChecks(checks);
  }

  /**
   * Returns the handler of {@code GET /ready}. A 503 reply carries {@code Retry-After}. A check
   * that goes down is logged with its reason once, and again when it is back up, so that
   * frequent probes do not flood the log.
   */
  static Handler<RoutingContext> readiness(Vertx vertx, Pool systemPool, Path dataDir, int minFreeMib, Drain drain) {
    Map<String, Boolean> lastUp = new ConcurrentHashMap<>();
    HealthChecks checks = HealthChecks.create(vertx)
      .register("accepting-requests", promise -> promise.complete(drain.draining()
        ? Status.KO(new JsonObject().put("reason", "the server is shutting down"))
        : Status.OK()))
      .register("system-database", CHECK_TIMEOUT_MS, promise -> report(promise, "system-database", lastUp,
        systemPool.query("SELECT 1").execute().map(rows -> new JsonObject())))
      .register("admin-verticle", CHECK_TIMEOUT_MS, promise -> report(promise, "admin-verticle", lastUp,
        pingAdmin(vertx)))
      .register("data-folder", CHECK_TIMEOUT_MS, promise -> report(promise, "data-folder", lastUp,
        checkDataFolder(vertx, dataDir, minFreeMib * BYTES_PER_MIB)));
    Handler<RoutingContext> handler = HealthCheckHandler.createWithHealthChecks(checks);
    return ctx -> {
      ctx.addHeadersEndHandler(v -> {
        if (ctx.response().getStatusCode() == 503) {
          ctx.response().putHeader("Retry-After", ErrorResponses.RETRY_AFTER_SECONDS);
        }
      });
      handler.handle(ctx);
    };
  }

  private static Future<JsonObject> pingAdmin(Vertx vertx) {
    DeliveryOptions delivery = new DeliveryOptions().addHeader(MessageHeaders.ACTION, Actions.PING)
      .setSendTimeout(CHECK_TIMEOUT_MS / 2);
    return vertx.eventBus().request(Addresses.ADMIN, null, delivery).map(reply -> new JsonObject());
  }

  /**
   * Creates and deletes a file in the data folder, then compares the file system's usable
   * space with the threshold. Vert.x runs both file operations on worker threads.
   */
  private static Future<JsonObject> checkDataFolder(Vertx vertx, Path dataDir, long minFreeBytes) {
    String folder = dataDir.toAbsolutePath().toString();
    return vertx.fileSystem().createTempFile(folder, ".ready-", ".tmp", (String) null)
      .compose(file -> vertx.fileSystem().delete(file))
      .compose(v -> vertx.fileSystem().fsProps(folder))
      .compose(props -> {
        JsonObject data = new JsonObject().put("usable_bytes", props.usableSpace()).put("min_free_bytes", minFreeBytes);
        if (props.usableSpace() < minFreeBytes) {
          return Future.failedFuture(new IllegalStateException("the file system of " + folder + " has "
            + props.usableSpace() / BYTES_PER_MIB + " MiB free, below ready_min_free_mb (" + minFreeBytes / BYTES_PER_MIB
            + " MiB); free space or lower the setting"));
        }
        return Future.succeededFuture(data);
      });
  }

  /**
   * Completes a check's promise with UP and {@code data}, or with DOWN and the reason. The
   * promise never fails: the health-check handler replies 500 for a failed procedure, and a
   * check that is down must give 503.
   */
  private static void report(Promise<Status> promise, String check, Map<String, Boolean> lastUp,
                             Future<JsonObject> result) {
    result.onComplete(ar -> {
      Boolean wasUp = lastUp.put(check, ar.succeeded());
      if (ar.succeeded()) {
        if (Boolean.FALSE.equals(wasUp)) {
          LOG.info("Readiness check {} is up again", check);
        }
        promise.tryComplete(Status.OK(ar.result()));
      } else {
        if (!Boolean.FALSE.equals(wasUp)) {
          LOG.warn("Readiness check {} failed: {}", check, ar.cause().getMessage());
        }
        promise.tryComplete(Status.KO(new JsonObject().put("reason", String.valueOf(ar.cause().getMessage()))));
      }
    });
  }
}
