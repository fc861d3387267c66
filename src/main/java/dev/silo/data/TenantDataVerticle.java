package dev.silo.data;

import dev.silo.bus.ActionHandler;
import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.bus.Replies;
import dev.silo.config.SiloOptions;
import dev.silo.metrics.SiloMetrics;
import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.logging.LogContext;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.system.TenantStatus;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantContext;
import dev.silo.tenant.TenantFiles;
import dev.silo.tenant.TenantId;
import dev.silo.tenant.TenantMigrator;
import dev.silo.tenant.TenantPool;
import dev.silo.tenant.TenantScope;
import dev.silo.util.Blocking;
import dev.silo.util.Drain;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Serves tenant data requests. Deployed as a worker verticle in several instances; each
 * instance owns the pools of the tenants that {@link Addresses#ownerOf} assigns to it.
 * <p>
 * It consumes {@link Addresses#DATA} (any tenant: messages for other owners are
 * forwarded), its own {@link Addresses#shard} address, and its {@link Addresses#control}
 * address for pool commands of the admin verticle and of the other data verticles.
 * Handlers run one at a time on the verticle's worker thread, so opening a pool, a
 * blocking step, never races with a close.
 * <p>
 * The instances of one server share a {@link PoolBudget}: together they keep at most
 * {@code tenant_max_open} pools open. An instance that needs a slot sends an eviction
 * request for the least recently used idle pool to the control address of its owner,
 * possibly itself, so only the owner ever closes a pool.
 */
public final class TenantDataVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TenantDataVerticle.class);

  private final int index;
  private final SiloOptions options;
  private final SystemDatabase systemDatabase;
  private final String targetVersion;
  private final Map<String, ActionHandler> actions;
  private final TenantFiles files;
  private final SiloMetrics metrics;
  private final PoolBudget budget;
  private final Drain drain;
  /** Reasons by tenant id, for the tenants whose pool the admin verticle keeps closed. */
  private final Map<String, String> holdReasons = new HashMap<>();
  private int shardCount;
  private TenantPools pools;

  private TenantDataVerticle(int index, SiloOptions options, SystemDatabase systemDatabase, String targetVersion,
                             Map<String, ActionHandler> actions, SiloMetrics metrics, PoolBudget budget,
                             Drain drain) {
    this.index = index;
    this.options = options;
    this.systemDatabase = systemDatabase;
    this.targetVersion = targetVersion;
    this.actions = actions;
    this.metrics = metrics;
    this.files = new TenantFiles(options.dataDir());
    this.budget = budget;
    this.drain = drain;
  }

  /**
   * Returns a factory of the data verticles of one server, by index from 0 to
   * {@code data_instances - 1}. They share one pool budget of {@code tenant_max_open}
   * slots.
   *
   * @param targetVersion the tenant schema version every tenant must reach before it serves
   * @param drain         the server's drain, whose deadline bounds the wait for in-flight
   *                      requests when the verticles stop
   */
  public static IntFunction<TenantDataVerticle> factory(SiloOptions options, SystemDatabase systemDatabase,
                                                        String targetVersion, Map<String, ActionHandler> actions,
                                                        SiloMetrics metrics, Drain drain) {
    PoolBudget budget = new PoolBudget(options.get(SiloOptions.TENANT_MAX_OPEN));
    return index -> new TenantDataVerticle(index, options, systemDatabase, targetVersion, actions, metrics, budget,
      drain);
  }

  @Override
  public Future<?> start() {
    shardCount = options.get(SiloOptions.DATA_INSTANCES);
    pools = new TenantPools(vertx, index, budget, new SqliteSettings(options),
      options.get(SiloOptions.TENANT_POOL_SIZE), options.duration(SiloOptions.TENANT_ACQUIRE_TIMEOUT_MS), metrics);
    Duration idleTimeout = options.duration(SiloOptions.TENANT_IDLE_TIMEOUT_MS);
    vertx.setPeriodic(Math.min(idleTimeout.toMillis() / 2, 30_000), id -> pools.closeIdle(idleTimeout));
    return Future.all(
      vertx.eventBus().<JsonObject>consumer(Addresses.DATA, this::handle).completion(),
      vertx.eventBus().<JsonObject>consumer(Addresses.shard(index), this::handle).completion(),
      vertx.eventBus().<JsonObject>consumer(Addresses.control(index), this::control).completion());
  }

  /**
   * Closes every pool once its in-flight requests have ended, waiting no longer than the
   * drain's deadline when the server is shutting down.
   */
  @Override
  public Future<?> stop() {
    Duration remaining = drain.remaining();
    return pools.closeAll(remaining == null ? options.duration(SiloOptions.SHUTDOWN_TIMEOUT_MS) : remaining);
  }

  private void handle(Message<JsonObject> message) {
    String tenantId = message.headers().get(MessageHeaders.TENANT);
    String action = message.headers().get(MessageHeaders.ACTION);
    // Messages run on a duplicated context of their own; a tenant id that fails validation is not logged.
    LogContext.bind(Vertx.currentContext(), new LogContext(message.headers().get(MessageHeaders.REQUEST_ID),
      TenantId.isValid(tenantId) ? tenantId : null));
    Future<JsonObject> result;
    try {
      result = dispatch(tenantId, action, message);
    } catch (RuntimeException | SQLException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> Replies.send(message, ar, LOG, "Action " + action + " of tenant " + tenantId));
  }

  private Future<JsonObject> dispatch(String tenantId, String action, Message<JsonObject> message)
    throws SQLException {
    if (tenantId == null || tenantId.isEmpty()) {
      throw new SiloException(ErrorCode.TENANT_REQUIRED, "the message has no 'tenant' header");
    }
    TenantId.validate(tenantId);
    ActionHandler handler = action == null ? null : actions.get(action);
    if (handler == null) {
      throw SiloException.invalid("unknown action '" + action + "' on " + Addresses.DATA);
    }
    int owner = Addresses.ownerOf(tenantId, shardCount);
    if (owner != index) {
      return forward(owner, message);
    }
    JsonObject request = message.body() == null ? new JsonObject() : message.body();
    return acquirePool(tenantId, true).compose(pool -> serve(pool, handler, request));
  }

  /** Runs the action on a pool acquired for it, and releases the pool when the action has ended. */
  private Future<JsonObject> serve(TenantPool pool, ActionHandler handler, JsonObject request) {
    return TenantScope.call(vertx, new TenantContext(pool.tenantId(), pool), () -> handler.handle(request))
      .onComplete(ar -> pools.release(pool))
      .recover(failure -> Future.failedFuture(SqlErrors.unavailableIfBusy(failure)));
  }

  private Future<JsonObject> forward(int owner, Message<JsonObject> message) {
    DeliveryOptions delivery = new DeliveryOptions().setHeaders(message.headers());
    return vertx.eventBus().<JsonObject>request(Addresses.shard(owner), message.body(), delivery)
      .map(Message::body);
  }

  /**
   * Returns the tenant's pool with the request counted in flight, opening the pool when
   * needed. Before a pool opens, the tenant is looked up in the system database: a tenant
   * behind the target schema version is first migrated by the admin verticle, the only one
   * allowed to run Flyway. The lookup runs again once the pool has a slot of the budget,
   * because waiting for the slot lets lifecycle and pool commands run.
   */
  private Future<TenantPool> acquirePool(String tenantId, boolean mayMigrate) throws SQLException {
    requireNotHeld(tenantId);
    if (!pools.isOpen(tenantId)) {
      TenantRecord tenant = requireServable(tenantId);
      if (TenantMigrator.compare(tenant.schemaVersion(), targetVersion) < 0) {
        if (!options.get(SiloOptions.TENANT_MIGRATE_ON_OPEN)) {
          throw new SiloException(ErrorCode.UNAVAILABLE, "tenant '" + tenantId + "' is at schema version "
            + tenant.schemaVersion() + ", behind " + targetVersion + ", and tenant_migrate_on_open is off; "
            + "an operator migrates it with POST /admin/migrations");
        }
        if (!mayMigrate) {
          throw beingMigrated(tenantId);
        }
        LOG.info("Tenant {} is at schema version {}, behind {}: asking the admin verticle to migrate it",
          tenantId, tenant.schemaVersion(), targetVersion);
        return vertx.eventBus().request(Addresses.ADMIN, new JsonObject().put("id", tenantId),
            new DeliveryOptions().addHeader(MessageHeaders.ACTION, Actions.TENANTS_MIGRATE))
          .compose(reply -> Blocking.call(() -> acquirePool(tenantId, false)).compose(pool -> pool));
      }
    }
    return pools.acquire(tenantId, () -> currentFile(tenantId));
  }

  /** Returns the tenant, or fails when it does not exist, is suspended or is not provisioned yet. Blocking. */
  private TenantRecord requireServable(String tenantId) throws SQLException {
    TenantRecord tenant = systemDatabase.withConnection(c -> TenantRegistry.find(c, tenantId))
      .orElseThrow(() -> new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist"));
    if (tenant.status() == TenantStatus.SUSPENDED) {
      throw new SiloException(ErrorCode.TENANT_SUSPENDED, "tenant '" + tenantId + "' is suspended");
    }
    if (tenant.status() != TenantStatus.ACTIVE) {
      throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' is not ready yet");
    }
    return tenant;
  }

  /** Fails with {@code unavailable} while the admin verticle keeps the tenant's pool closed. */
  private void requireNotHeld(String tenantId) {
    String holdReason = holdReasons.get(tenantId);
    if (holdReason != null) {
      throw new SiloException(ErrorCode.UNAVAILABLE,
        "tenant '" + tenantId + "' is unavailable while " + holdReason + "; retry shortly");
    }
  }

  /** Returns the file of a servable tenant at the target schema version. Blocking. */
  private Path currentFile(String tenantId) throws SQLException {
    requireNotHeld(tenantId);
    TenantRecord tenant = requireServable(tenantId);
    if (TenantMigrator.compare(tenant.schemaVersion(), targetVersion) < 0) {
      throw beingMigrated(tenantId);
    }
    if (!files.exists(tenantId)) {
      LOG.error("Tenant {} is active but its file {} is missing", tenantId, files.database(tenantId));
      throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' has no database file");
    }
    return files.database(tenantId);
  }

  private static SiloException beingMigrated(String tenantId) {
    return new SiloException(ErrorCode.UNAVAILABLE, "tenant '" + tenantId + "' is being migrated; retry shortly");
  }

  /**
   * Runs a pool command: {@code pool.close}, {@code pool.hold} or {@code pool.release} of
   * the admin verticle, or {@code pool.evict} of a data verticle, with body
   * {@code {tenant_id, reason}}. The reply comes once the pool is closed.
   */
  private void control(Message<JsonObject> message) {
    String action = message.headers().get(MessageHeaders.ACTION);
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String tenantId = body.getString("tenant_id");
    String reason = body.getString("reason", "lifecycle");
    LogContext.bind(Vertx.currentContext(), new LogContext(message.headers().get(MessageHeaders.REQUEST_ID),
      TenantId.isValid(tenantId) ? tenantId : null));
    Future<JsonObject> result;
    if (tenantId == null) {
      result = Future.failedFuture(SiloException.invalid("pool command " + action + " has no tenant_id"));
    } else if (Actions.POOL_CLOSE.equals(action)) {
      result = pools.close(tenantId, reason).map((JsonObject) null);
    } else if (Actions.POOL_EVICT.equals(action)) {
      result = pools.evict(tenantId).map(evicted -> new JsonObject().put("evicted", evicted));
    } else if (Actions.POOL_HOLD.equals(action)) {
      // Held before the close starts, so requests that arrive while it drains fail too.
      holdReasons.put(tenantId, reason);
      result = pools.close(tenantId, reason).map((JsonObject) null);
    } else if (Actions.POOL_RELEASE.equals(action)) {
      holdReasons.remove(tenantId);
      result = Future.succeededFuture();
    } else {
      result = Future.failedFuture(SiloException.invalid("unknown pool command " + action));
    }
    result.onComplete(ar -> Replies.send(message, ar, LOG, "Pool command " + action + " for tenant " + tenantId));
  }
}
