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
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves tenant data requests. Deployed as a worker verticle in several instances; each
 * instance owns the pools of the tenants that {@link Addresses#ownerOf} assigns to it.
 * <p>
 * It consumes {@link Addresses#DATA} (any tenant: messages for other owners are
 * forwarded), its own {@link Addresses#shard} address, and its {@link Addresses#control}
 * address for pool commands of the admin verticle. Handlers run one at a time on the
 * verticle's worker thread, so opening a pool, a blocking step, never races with a close.
 */
public final class TenantDataVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TenantDataVerticle.class);

  private final int index;
  private final SiloOptions options;
  private final SystemDatabase systemDatabase;
  private final String targetVersion;
  private final Map<String, ActionHandler> actions;
  private final TenantFiles files;
  /** Reasons by tenant id, for the tenants whose pool the admin verticle keeps closed. */
  private final Map<String, String> holdReasons = new HashMap<>();
  private int shardCount;
  private final SiloMetrics metrics;
  private TenantPools pools;

  /**
   * @param index         which share of the tenants this instance owns, from 0 to {@code data_instances - 1}
   * @param targetVersion the tenant schema version every tenant must reach before it serves
   */
  public TenantDataVerticle(int index, SiloOptions options, SystemDatabase systemDatabase, String targetVersion,
                            Map<String, ActionHandler> actions, SiloMetrics metrics) {
    this.index = index;
    this.options = options;
    this.systemDatabase = systemDatabase;
    this.targetVersion = targetVersion;
    this.actions = actions;
    this.metrics = metrics;
    this.files = new TenantFiles(options.dataDir());
  }

  @Override
  public Future<?> start() {
    shardCount = options.get(SiloOptions.DATA_INSTANCES);
    int maxOpen = Math.max(1, (options.get(SiloOptions.TENANT_MAX_OPEN) + shardCount - 1) / shardCount);
    pools = new TenantPools(vertx, new SqliteSettings(options), maxOpen, options.get(SiloOptions.TENANT_POOL_SIZE),
      options.duration(SiloOptions.TENANT_ACQUIRE_TIMEOUT_MS), metrics);
    Duration idleTimeout = options.duration(SiloOptions.TENANT_IDLE_TIMEOUT_MS);
    vertx.setPeriodic(Math.min(idleTimeout.toMillis() / 2, 30_000), id -> pools.closeIdle(idleTimeout));
    return Future.all(
      vertx.eventBus().<JsonObject>consumer(Addresses.DATA, this::handle).completion(),
      vertx.eventBus().<JsonObject>consumer(Addresses.shard(index), this::handle).completion(),
      vertx.eventBus().<JsonObject>consumer(Addresses.control(index), this::control).completion());
  }

  @Override
  public Future<?> stop() {
    return pools.closeAll();
  }

  private void handle(Message<JsonObject> message) {
    String tenantId = message.headers().get(MessageHeaders.TENANT);
    String action = message.headers().get(MessageHeaders.ACTION);
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
    return poolOf(tenantId, true).compose(pool -> serve(pool, handler, request));
  }

  private Future<JsonObject> serve(TenantPool pool, ActionHandler handler, JsonObject request) {
    pool.acquire();
    return TenantScope.call(vertx, new TenantContext(pool.tenantId(), pool.pool()), () -> handler.handle(request))
      .onComplete(ar -> pools.release(pool))
      .recover(failure -> Future.failedFuture(SqlErrors.unavailableIfBusy(failure)));
  }

  private Future<JsonObject> forward(int owner, Message<JsonObject> message) {
    DeliveryOptions delivery = new DeliveryOptions().setHeaders(message.headers());
    return vertx.eventBus().<JsonObject>request(Addresses.shard(owner), message.body(), delivery)
      .map(Message::body);
  }

  /**
   * Returns the open pool of a tenant, or looks the tenant up in the system database and
   * opens its pool. A tenant behind the target schema version is first migrated by the
   * admin verticle, the only one allowed to run Flyway.
   */
  private Future<TenantPool> poolOf(String tenantId, boolean mayMigrate) throws SQLException {
    String holdReason = holdReasons.get(tenantId);
    if (holdReason != null) {
      throw new SiloException(ErrorCode.UNAVAILABLE,
        "tenant '" + tenantId + "' is unavailable while " + holdReason + "; retry shortly");
    }
    TenantPool open = pools.get(tenantId);
    if (open != null) {
      return Future.succeededFuture(open);
    }
    TenantRecord tenant = systemDatabase.withConnection(c -> TenantRegistry.find(c, tenantId))
      .orElseThrow(() -> new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist"));
    if (tenant.status() == TenantStatus.SUSPENDED) {
      throw new SiloException(ErrorCode.TENANT_SUSPENDED, "tenant '" + tenantId + "' is suspended");
    }
    if (tenant.status() != TenantStatus.ACTIVE) {
      throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' is not ready yet");
    }
    if (TenantMigrator.compare(tenant.schemaVersion(), targetVersion) < 0) {
      if (!options.get(SiloOptions.TENANT_MIGRATE_ON_OPEN)) {
        throw new SiloException(ErrorCode.UNAVAILABLE, "tenant '" + tenantId + "' is at schema version "
          + tenant.schemaVersion() + ", behind " + targetVersion + ", and tenant_migrate_on_open is off; "
          + "an operator migrates it with POST /admin/migrations");
      }
      if (!mayMigrate) {
        throw new SiloException(ErrorCode.UNAVAILABLE, "tenant '" + tenantId + "' is being migrated; retry shortly");
      }
      LOG.info("Tenant {} is at schema version {}, behind {}: asking the admin verticle to migrate it",
        tenantId, tenant.schemaVersion(), targetVersion);
      return vertx.eventBus().request(Addresses.ADMIN, new JsonObject().put("id", tenantId),
          new DeliveryOptions().addHeader(MessageHeaders.ACTION, Actions.TENANTS_MIGRATE))
        .compose(reply -> Blocking.call(() -> poolOf(tenantId, false)).compose(pool -> pool));
    }
    if (!files.exists(tenantId)) {
      LOG.error("Tenant {} is active but its file {} is missing", tenantId, files.database(tenantId));
      throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' has no database file");
    }
    return Future.succeededFuture(pools.open(tenantId, files.database(tenantId)));
  }

  /**
   * Runs a pool command of the admin verticle: {@code pool.close}, {@code pool.hold} or
   * {@code pool.release}, with body {@code {tenant_id, reason}}. The reply comes once the
   * pool is closed.
   */
  private void control(Message<JsonObject> message) {
    String action = message.headers().get(MessageHeaders.ACTION);
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String tenantId = body.getString("tenant_id");
    String reason = body.getString("reason", "lifecycle");
    Future<Void> result;
    if (tenantId == null) {
      result = Future.failedFuture(SiloException.invalid("pool command " + action + " has no tenant_id"));
    } else if (Actions.POOL_CLOSE.equals(action)) {
      result = pools.close(tenantId, reason);
    } else if (Actions.POOL_HOLD.equals(action)) {
      // Held before the close starts, so requests that arrive while it drains fail too.
      holdReasons.put(tenantId, reason);
      result = pools.close(tenantId, reason);
    } else if (Actions.POOL_RELEASE.equals(action)) {
      holdReasons.remove(tenantId);
      result = Future.succeededFuture();
    } else {
      result = Future.failedFuture(SiloException.invalid("unknown pool command " + action));
    }
    result.onComplete(ar -> Replies.send(message, ar.map((JsonObject) null), LOG,
      "Pool command " + action + " for tenant " + tenantId));
  }
}
