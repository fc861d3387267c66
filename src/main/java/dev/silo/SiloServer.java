package dev.silo;

import dev.silo.admin.AdminVerticle;
import dev.silo.admin.TenantReconciler;
import dev.silo.bus.ActionHandler;
import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.bus.SiloReplyException;
import dev.silo.bus.SiloReplyExceptionCodec;
import dev.silo.config.SiloOptions;
import dev.silo.data.DataActions;
import dev.silo.data.TenantDataVerticle;
import dev.silo.http.HttpVerticle;
import dev.silo.metrics.SiloMetrics;
import dev.silo.system.AdminTokenBootstrap;
import dev.silo.system.DataDirLock;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TokenCache;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantContext;
import dev.silo.tenant.TenantMigrator;
import dev.silo.tenant.TenantTemplate;
import dev.silo.util.Drain;
import dev.silo.util.SiloVersion;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One running Silo: the system database and the verticles that serve it, deployed on a
 * {@link Vertx} instance that the caller owns.
 * <p>
 * {@link TenantContext#register()} must have run before that {@code Vertx} was created.
 */
public final class SiloServer {

  private static final Logger LOG = LoggerFactory.getLogger(SiloServer.class);

  private final Vertx vertx;
  private final SiloOptions options;
  private final Started started;
  private final List<String> deployments;
  private final Drain drain;
  private final int port;
  private Future<Void> closed;

  private SiloServer(Vertx vertx, SiloOptions options, Started started, List<String> deployments, Drain drain,
                     int port) {
    this.vertx = vertx;
    this.options = options;
    this.started = started;
    this.deployments = deployments;
    this.drain = drain;
    this.port = port;
  }

  /**
   * Takes the data folder lock, opens the system database, registers the initial admin
   * token, reconciles tenants with their files after a crash ({@link TenantReconciler}),
   * builds or reuses the tenant template, and deploys the admin, data and HTTP verticles,
   * so the HTTP server accepts requests only after the reconciliation. When a step fails,
   * the steps before it are undone before the returned future fails.
   */
  public static Future<SiloServer> start(Vertx vertx, SiloOptions options) {
    long start = System.nanoTime();
    vertx.eventBus().registerDefaultCodec(SiloReplyException.class, new SiloReplyExceptionCodec());
    SqliteSettings settings = new SqliteSettings(options);
    return vertx.executeBlocking(() -> open(vertx, options, settings))
      .compose(started -> deploy(vertx, options, started))
      .onSuccess(server -> LOG.info("Silo {} started on {}:{} with data folder {} in {} ms", SiloVersion.get(),
        options.get(SiloOptions.HTTP_HOST), server.port(), options.dataDir().toAbsolutePath(),
        (System.nanoTime() - start) / 1_000_000))
      .onFailure(e -> {
        LOG.error("Silo failed to start: {}", e.getMessage());
        LOG.debug("Start-up failure", e);
      });
  }

  /**
   * Takes the data folder lock, opens the system database, reads the migrations,
   * reconciles tenants with their files, prepares the tenant template and looks up the
   * metrics. Blocking.
   */
  private static Started open(Vertx vertx, SiloOptions options, SqliteSettings settings) throws Exception {
    DataDirLock lock = DataDirLock.acquire(options.dataDir());
    SystemDatabase database = null;
    try {
      // Blocking callers: each data verticle, the admin verticle, and the migrate-all workers.
      int blockingCallers = options.get(SiloOptions.DATA_INSTANCES) + options.get(SiloOptions.MIGRATION_PARALLELISM) + 2;
      database = SystemDatabase.open(vertx, options.dataDir(), settings, blockingCallers);
      AdminTokenBootstrap.run(database, options.dataDir(), options.get(SiloOptions.ADMIN_TOKEN));
      TenantMigrator migrator = new TenantMigrator(settings, options.get(SiloOptions.TENANT_MIGRATIONS));
      new TenantReconciler(database, options.dataDir(), migrator).run();
      TenantTemplate template = TenantTemplate.prepare(options.dataDir(), migrator);
      return new Started(lock, database, migrator, template, SiloMetrics.of(options));
    } catch (Exception e) {
      if (database != null) {
        database.close(vertx);
      }
      lock.close();
      throw e;
    }
  }

  private record Started(DataDirLock lock, SystemDatabase database, TenantMigrator migrator,
                         TenantTemplate template, SiloMetrics metrics) {

    Future<Void> close(Vertx vertx) {
      return database.close(vertx).eventually(() -> vertx.executeBlocking(() -> {
        lock.close();
        return null;
      }));
    }
  }

  private static Future<SiloServer> deploy(Vertx vertx, SiloOptions options, Started started) {
    List<String> deployments = Collections.synchronizedList(new ArrayList<>());
    List<HttpVerticle> httpVerticles = Collections.synchronizedList(new ArrayList<>());
    DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
    Map<String, ActionHandler> dataActions = DataActions.create(started.database());
    int dataInstances = options.get(SiloOptions.DATA_INSTANCES);
    SiloMetrics metrics = started.metrics();
    Drain drain = new Drain();
    TokenCache tokenCache = new TokenCache();
    IntFunction<TenantDataVerticle> dataFactory = TenantDataVerticle.factory(options, started.database(),
      started.migrator().targetVersion(), dataActions, metrics, drain);

    Future<Void> chain = vertx.deployVerticle(new AdminVerticle(options, started.database(), started.migrator(),
        started.template(), metrics, tokenCache), worker)
      .onSuccess(deployments::add)
      .mapEmpty();
    for (int i = 0; i < dataInstances; i++) {
      int index = i;
      chain = chain.compose(v -> vertx.deployVerticle(dataFactory.apply(index), worker))
        .onSuccess(deployments::add)
        .mapEmpty();
    }
    Supplier<HttpVerticle> httpFactory = HttpVerticle.factory(options, started.database(), tokenCache, metrics, drain);
    return chain
      .compose(v -> vertx.deployVerticle(() -> {
          HttpVerticle verticle = httpFactory.get();
          httpVerticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(options.get(SiloOptions.HTTP_INSTANCES))))
      .onSuccess(deployments::add)
      .map(id -> new SiloServer(vertx, options, started, deployments, drain, httpVerticles.get(0).actualPort()))
      .onSuccess(server -> resumeInterruptedJob(vertx))
      .recover(e -> undeploy(vertx, deployments)
        .eventually(() -> started.close(vertx))
        .transform(ignored -> Future.failedFuture(e)));
  }

  /** Asks the admin verticle to go on with a migrate-all job that a stop interrupted. */
  private static void resumeInterruptedJob(Vertx vertx) {
    vertx.eventBus().request(Addresses.ADMIN, new JsonObject(),
        new DeliveryOptions().addHeader(MessageHeaders.ACTION, Actions.MIGRATIONS_RESUME))
      .onFailure(e -> LOG.error("Resuming an interrupted migration job failed", e));
  }

  /** Returns the port of the HTTP API. */
  public int port() {
    return port;
  }

  public SiloOptions options() {
    return options;
  }

  /**
   * Stops the server gracefully, and returns the same future when called again.
   * <ol>
   *   <li>Drains: HTTP requests that arrive from now on get 503 {@code unavailable} with
   *   {@code Retry-After}, and the server waits until the admitted requests have ended,
   *   at most {@code shutdown_timeout_ms}.</li>
   *   <li>Undeploys the verticles in reverse order: the HTTP verticles first, which stops
   *   listening, then the data verticles, which close every tenant pool after a WAL
   *   checkpoint, waiting for requests still running on a pool until the same deadline,
   *   then the admin verticle.</li>
   *   <li>Closes the system database and releases the data folder lock.</li>
   * </ol>
   */
  public synchronized Future<Void> close() {
    if (closed != null) {
      return closed;
    }
    long start = System.nanoTime();
    Duration timeout = options.duration(SiloOptions.SHUTDOWN_TIMEOUT_MS);
    LOG.info("Draining: {} HTTP requests in flight, waiting up to {} ms", drain.inFlight(), timeout.toMillis());
    closed = drain.start(vertx, timeout)
      .onSuccess(v -> logDrained(start))
      .compose(v -> undeploy(vertx, deployments))
      .eventually(() -> started.close(vertx))
      .onComplete(ar -> LOG.info("Silo stopped in {} ms", millisSince(start)));
    return closed;
  }

  private void logDrained(long start) {
    int left = drain.inFlight();
    if (left == 0) {
      LOG.info("Drained HTTP requests in {} ms", millisSince(start));
    } else {
      LOG.warn("{} HTTP requests were still in flight after {} ms; stopping anyway", left, millisSince(start));
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static Future<Void> undeploy(Vertx vertx, List<String> deployments) {
    Future<Void> chain = Future.succeededFuture();
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> {
        LOG.warn("Undeploying {} failed", id, e);
        return Future.succeededFuture();
      }));
    }
    return chain;
  }
}
