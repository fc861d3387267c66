package dev.silo.http;

import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.config.SiloOptions;
import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.logging.LogContext;
import dev.silo.metrics.SiloMetrics;
import dev.silo.system.Principal;
import dev.silo.system.Role;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TokenCache;
import dev.silo.tenant.TenantId;
import dev.silo.util.Drain;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP API. Runs on event loops, in several instances sharing one port; it never
 * blocks: it authenticates from a token cache or with a non-blocking query and hands each
 * request to the admin verticle or to the data verticle that owns the tenant, over the
 * event bus.
 * <p>
 * Every request to {@code /admin} and {@code /api} passes the server's {@link Drain}: once
 * the server is shutting down, new ones get 503 {@code unavailable} with
 * {@code Retry-After}, while the admitted ones run to their end. {@code GET /ready} then
 * reports DOWN.
 */
public final class HttpVerticle extends VerticleBase {

  /** Header with which staff tokens choose the tenant whose data they read or write. */
  public static final String TENANT_HEADER = "X-Tenant-ID";

  /** Path of the Prometheus scrape, served without a token. */
  static final String METRICS_PATH = "/metrics";

  /** Maximum time an action may take before the client gets {@code timeout}. */
  private static final long REQUEST_TIMEOUT_MS = 60_000;

  private final SiloOptions options;
  private final SystemDatabase systemDatabase;
  private final TokenCache tokenCache;
  private final RateLimiter rateLimiter;
  private final SiloMetrics metrics;
  private final Drain drain;
  private Router router;
  private HttpServer server;

  /**
   * @param rateLimiter the limiter shared by all instances of this server, or {@code null}
   *                    when requests are not limited
   */
  HttpVerticle(SiloOptions options, SystemDatabase systemDatabase, TokenCache tokenCache, RateLimiter rateLimiter,
               SiloMetrics metrics, Drain drain) {
    this.options = options;
    this.systemDatabase = systemDatabase;
    this.tokenCache = tokenCache;
    this.rateLimiter = rateLimiter;
    this.metrics = metrics;
    this.drain = drain;
  }

  /**
   * Returns a supplier of HTTP verticle instances that share the server's token cache and
   * drain, and one rate limiter built from {@code rate_limit_per_second} and
   * {@code rate_limit_burst}. Registers the token cache's meters.
   *
   * @param tokenCache the cache that the admin verticle invalidates when tokens become invalid
   */
  public static Supplier<HttpVerticle> factory(SiloOptions options, SystemDatabase systemDatabase,
                                               TokenCache tokenCache, SiloMetrics metrics, Drain drain) {
    int perSecond = options.get(SiloOptions.RATE_LIMIT_PER_SECOND);
    RateLimiter limiter = perSecond == 0 ? null
      : new RateLimiter(perSecond, options.get(SiloOptions.RATE_LIMIT_BURST), System::nanoTime);
    metrics.tokenCache(tokenCache);
    return () -> new HttpVerticle(options, systemDatabase, tokenCache, limiter, metrics, drain);
  }

  @Override
  public Future<?> start() {
    HttpServerOptions serverOptions = new HttpServerOptions()
      .setHost(options.get(SiloOptions.HTTP_HOST))
      .setPort(options.get(SiloOptions.HTTP_PORT));
    return vertx.executeBlocking(OpenApiDocument::load)
      .compose(openApi -> {
        router = router(openApi);
        return vertx.createHttpServer(serverOptions).requestHandler(router).listen();
      })
      .onSuccess(s -> server = s)
      .recover(e -> Future.failedFuture(new IllegalStateException("cannot listen on " + serverOptions.getHost() + ":"
        + serverOptions.getPort() + " (" + e.getMessage() + "); set http_port (SILO_HTTP_PORT) to a free port", e)));
  }

  private Router router(Buffer openApi) {
    Router router = Router.router(vertx);
    Authentication authentication = new Authentication(systemDatabase.pool(), tokenCache);

    router.route().handler(AccessLog::handle);
    router.route().handler(DotSegmentGuard::handle);
    router.get("/health").handler(OperationsRoutes.liveness(vertx));
    router.get("/ready").handler(OperationsRoutes.readiness(vertx, systemDatabase.pool(), options.dataDir(),
      options.get(SiloOptions.READY_MIN_FREE_MB), drain));
    router.get(OpenApiDocument.PATH).handler(ctx -> ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(openApi));
    router.get(METRICS_PATH).handler(OperationsRoutes.metrics(vertx, metrics));
    // Routes without a path: Vert.x reports the path of every matched route in the metrics'
    // route label, which then names only the endpoint's template.
    router.route().handler(underApi(this::admit));
    router.route().handler(underApi(RequestBodies::requireJsonContentType));
    router.route().handler(underApi(BodyHandler.create(false).setBodyLimit(options.get(SiloOptions.HTTP_BODY_LIMIT))));
    router.route().handler(underApi(authentication::handle));
    if (rateLimiter != null) {
      router.route().handler(underApi(this::limitRate));
    }
    for (ApiRoute route : ApiRoutes.ADMIN) {
      router.route(route.method(), route.path()).handler(ctx -> dispatch(ctx, route));
    }
    for (ApiRoute route : ApiRoutes.DATA) {
      router.route(route.method(), route.path()).handler(ctx -> dispatch(ctx, route));
    }
    router.route().failureHandler(ErrorResponses::handle);
    for (int status : List.of(404, 405, 413)) {
      router.errorHandler(status, ErrorResponses::handle);
    }
    return router;
  }

  /** Returns a handler that runs {@code handler} on {@code /admin} and {@code /api} paths and skips the others. */
  private static Handler<RoutingContext> underApi(Handler<RoutingContext> handler) {
    return ctx -> {
      String path = ctx.normalizedPath();
      if (isUnder(path, "/admin") || isUnder(path, "/api")) {
        handler.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  private static boolean isUnder(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /** Returns the router once {@link #start()} has completed; tests read its routes. */
  Router router() {
    return router;
  }

  /** Returns the port the server listens on, useful when {@code http_port} is 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private void dispatch(RoutingContext ctx, ApiRoute route) {
    DeliveryOptions delivery = new DeliveryOptions()
      .addHeader(MessageHeaders.ACTION, route.action())
      .setSendTimeout(REQUEST_TIMEOUT_MS);
    ctx.put(AccessLog.ROUTE, route.path());
    LogContext logContext = LogContext.current();
    if (logContext != null) {
      delivery.addHeader(MessageHeaders.REQUEST_ID, logContext.requestId());
    }
    Principal principal = ctx.get(Authentication.PRINCIPAL);
    try {
      authorize(principal, route);
    } catch (SiloException e) {
      ctx.fail(e);
      return;
    }

    RequestBodies.requestOf(vertx, ctx)
      .compose(request -> vertx.eventBus().<JsonObject>request(address(ctx, principal, route, delivery), request,
        delivery))
      .onSuccess(reply -> reply(ctx, route, reply))
      .onFailure(ctx::fail);
  }

  /**
   * Returns the address of the verticle that serves the route: the admin verticle, or the
   * data verticle that owns the request's tenant, whose id goes into the message headers.
   */
  private String address(RoutingContext ctx, Principal principal, ApiRoute route, DeliveryOptions delivery) {
    if (route.target() != Target.DATA) {
      return Addresses.ADMIN;
    }
    String tenantId = tenantOf(ctx, principal);
    delivery.addHeader(MessageHeaders.TENANT, tenantId);
    AccessLog.tenant(tenantId);
    return Addresses.shard(Addresses.ownerOf(tenantId, options.get(SiloOptions.DATA_INSTANCES)));
  }

  /** Counts the request in flight until its response ends, or rejects it once the server drains. */
  private void admit(RoutingContext ctx) {
    if (!drain.tryEnter()) {
      // Ask keep-alive clients to reconnect, which reaches another instance or this one restarted.
      ctx.response().putHeader("Connection", "close");
      ctx.fail(new SiloException(ErrorCode.UNAVAILABLE, "the server is shutting down; retry shortly"));
      return;
    }
    ctx.addEndHandler(ar -> drain.exit());
    ctx.next();
  }

  private void limitRate(RoutingContext ctx) {
    Principal principal = ctx.get(Authentication.PRINCIPAL);
    long waitSeconds = rateLimiter.acquire(principal.tokenId());
    if (waitSeconds == 0) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", Long.toString(waitSeconds));
    ctx.fail(new SiloException(ErrorCode.RATE_LIMITED,
      "too many requests for this token; retry after " + waitSeconds + " s"));
  }

  private static void reply(RoutingContext ctx, ApiRoute route, Message<JsonObject> reply) {
    if (reply.body() == null) {
      ctx.response().setStatusCode(204).end();
    } else {
      json(ctx, route.successStatus(), reply.body());
    }
  }

  private static void authorize(Principal principal, ApiRoute route) {
    if (route.target() == Target.ADMIN && !principal.role().isStaff()) {
      throw new SiloException(ErrorCode.FORBIDDEN, "tenant tokens may not use /admin");
    }
    if (principal.role() == Role.SUPPORT && route.writes()) {
      throw new SiloException(ErrorCode.FORBIDDEN, "the support role may only read");
    }
  }

  /**
   * Returns the tenant of a data request: a tenant token's own tenant, or for staff the
   * {@code X-Tenant-ID} header.
   */
  private static String tenantOf(RoutingContext ctx, Principal principal) {
    String requested = ctx.request().getHeader(TENANT_HEADER);
    if (principal.role() == Role.TENANT) {
      if (requested != null && !requested.equals(principal.tenantId())) {
        throw new SiloException(ErrorCode.FORBIDDEN, "this token may only access its own tenant");
      }
      return principal.tenantId();
    }
    if (requested == null || requested.isEmpty()) {
      throw new SiloException(ErrorCode.TENANT_REQUIRED, "staff tokens name the tenant in the " + TENANT_HEADER + " header");
    }
    return TenantId.validate(requested);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
