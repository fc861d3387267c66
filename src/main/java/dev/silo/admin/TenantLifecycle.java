package dev.silo.admin;

import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.logging.LogContext;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.system.TenantStatus;
import dev.silo.system.TokenCache;
import dev.silo.tenant.OrphanFiles;
import dev.silo.tenant.TenantFiles;
import dev.silo.tenant.TenantId;
import dev.silo.tenant.TenantMigrator;
import dev.silo.tenant.TenantTemplate;
import dev.silo.util.Blocking;
import dev.silo.util.Fields;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Set;

/**
 * Provision, suspend, resume, delete and migrate single tenants. Runs on the admin
 * verticle's worker thread, which serializes every change (see {@link AdminVerticle}).
 */
final class TenantLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(TenantLifecycle.class);

  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_PLAN_LENGTH = 64;

  private final Vertx vertx;
  private final SystemDatabase database;
  private final TenantFiles files;
  private final TenantMigrator migrator;
  private final TenantTemplate template;
  private final OrphanFiles orphans;
  private final int shardCount;
  private final TokenCache tokenCache;

  TenantLifecycle(Vertx vertx, SystemDatabase database, Path dataDir, TenantMigrator migrator,
                  TenantTemplate template, int shardCount, TokenCache tokenCache) {
    this.vertx = vertx;
    this.database = database;
    this.files = new TenantFiles(dataDir);
    this.migrator = migrator;
    this.template = template;
    this.orphans = new OrphanFiles(dataDir);
    this.shardCount = shardCount;
    this.tokenCache = tokenCache;
  }

  /**
   * Reads the tenant id of a request. Any length is read, so an overlong id fails as
   * {@code invalid_tenant_id} like every other invalid id.
   */
  static String idOf(JsonObject request) {
    return TenantId.validate(Fields.optionalString(request, "id", Integer.MAX_VALUE));
  }

  /** Returns the tenant or fails with {@code tenant_not_found}. Blocking. */
  TenantRecord require(String id) throws SQLException {
    TenantId.validate(id);
    return database.withConnection(c -> TenantRegistry.find(c, id))
      .orElseThrow(() -> new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + id + "' does not exist"));
  }

  /**
   * Returns the tenant when its database file is in place. A tenant still provisioning, or
   * whose file is missing, has no data to back up or replace, so it fails with
   * {@code tenant_not_found}. Blocking.
   */
  TenantRecord requireDatabase(String id) throws SQLException {
    TenantRecord tenant = require(id);
    if (tenant.status() == TenantStatus.PROVISIONING) {
      throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + id + "' is not ready yet");
    }
    if (!files.exists(id)) {
      LOG.error("Tenant {} is registered but its file {} is missing", id, files.database(id));
      throw new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + id + "' has no database file");
    }
    return tenant;
  }

  Future<JsonObject> provision(JsonObject request) {
    return Blocking.call(() -> provisionBlocking(request))
      .onSuccess(tenant -> publish("tenant.provisioned", tenant.id()))
      .map(TenantRecord::toJson);
  }

  private TenantRecord provisionBlocking(JsonObject request) throws SQLException, IOException {
    long start = System.nanoTime();
    Fields.rejectUnknown(request, Set.of("id", "name", "plan"));
    String id = idOf(request);
    String name = Fields.requiredString(request, "name", MAX_NAME_LENGTH);
    String plan = Fields.requiredString(request, "plan", MAX_PLAN_LENGTH);
    String at = Times.now();
    TenantRecord tenant = new TenantRecord(id, name, plan, TenantStatus.PROVISIONING, null, "0", at, at);
    boolean inserted = database.inTransaction(c -> {
      if (TenantRegistry.find(c, id).isPresent()) {
        return false;
      }
      TenantRegistry.insert(c, tenant);
      return true;
    });
    if (!inserted) {
      throw SiloException.conflict("tenant '" + id + "' already exists");
    }
    try {
      // Files of an id without registration come from a crash or an old deletion: a new
      // tenant must not start with them, and an operator may want to inspect them.
      orphans.moveAside(id, files.allFiles(id), "left over by an unregistered tenant of the same id");
      // The status stays provisioning until the file is complete under its final name,
      // so the start-up reconciliation can tell a finished file from an interrupted one.
      String version = template.createDatabase(files.temporary(id), files.database(id));
      String activeAt = Times.now();
      database.inTransaction(c -> {
        TenantRegistry.updateSchemaVersion(c, id, version, activeAt);
        TenantRegistry.updateStatus(c, id, TenantStatus.ACTIVE, null, activeAt);
        return null;
      });
      LOG.info("Provisioned tenant {} at schema version {} in {} ms", id, version, millisSince(start));
      return require(id);
    } catch (SQLException | IOException | RuntimeException e) {
      LOG.error("Provisioning tenant {} failed; removing its file and registration", id, e);
      files.delete(id);
      database.withConnection(c -> {
        TenantRegistry.delete(c, id);
        return null;
      });
      tokenCache.invalidateTenant(id);
      throw e;
    }
  }

  Future<JsonObject> suspend(JsonObject request) {
    Fields.rejectUnknown(request, Set.of("id", "reason"));
    String id = idOf(request);
    String reason = Fields.optionalString(request, "reason", 500);
    return Blocking.call(() -> {
        require(id);
        database.withConnection(c -> {
          TenantRegistry.updateStatus(c, id, TenantStatus.SUSPENDED, reason == null ? "" : reason, Times.now());
          return null;
        });
        return id;
      })
      .compose(ignored -> closePool(id, "suspended"))
      .compose(ignored -> Blocking.call(() -> require(id)))
      .onSuccess(tenant -> {
        LOG.info("Suspended tenant {}", id);
        publish("tenant.suspended", id);
      })
      .map(TenantRecord::toJson);
  }

  Future<JsonObject> resume(JsonObject request) {
    String id = idOf(request);
    return Blocking.call(() -> {
        TenantRecord tenant = require(id);
        if (tenant.status() == TenantStatus.SUSPENDED) {
          database.withConnection(c -> {
            TenantRegistry.updateStatus(c, id, TenantStatus.ACTIVE, null, Times.now());
            return null;
          });
          LOG.info("Resumed tenant {}", id);
        }
        return require(id);
      })
      .onSuccess(tenant -> publish("tenant.resumed", id))
      .map(TenantRecord::toJson);
  }

  /**
   * Deletes the registration with its tokens first, so that requests arriving meanwhile get
   * 401 or {@code tenant_not_found} and never reopen the file, then closes the pool and
   * removes the file with its -wal and -shm.
   */
  Future<JsonObject> delete(JsonObject request) {
    String id = idOf(request);
    long start = System.nanoTime();
    return Blocking.call(() -> {
        require(id);
        database.withConnection(c -> {
          TenantRegistry.delete(c, id);
          return null;
        });
        tokenCache.invalidateTenant(id);
        return id;
      })
      .compose(ignored -> closePool(id, "deleted"))
      .compose(ignored -> Blocking.call(() -> {
        files.delete(id);
        return (JsonObject) null;
      }))
      .onSuccess(v -> {
        LOG.info("Deleted tenant {} in {} ms", id, millisSince(start));
        publish("tenant.deleted", id);
      });
  }

  /** Brings one tenant to the target schema version; does nothing when it is there already. */
  Future<JsonObject> migrate(JsonObject request) {
    String id = idOf(request);
    return Blocking.call(() -> migrateBlocking(id)).map(TenantRecord::toJson);
  }

  /** Migrates a tenant that is behind; blocking. Returns the tenant as it is afterwards. */
  TenantRecord migrateBlocking(String id) throws SQLException {
    TenantRecord tenant = require(id);
    if (tenant.status() == TenantStatus.PROVISIONING || !migrator.isBehind(tenant.schemaVersion())) {
      return tenant;
    }
    long start = System.nanoTime();
    String version = migrator.migrate(files.database(id));
    database.withConnection(c -> {
      TenantRegistry.updateSchemaVersion(c, id, version, Times.now());
      return null;
    });
    LOG.info("Migrated tenant {} from schema version {} to {} in {} ms", id, tenant.schemaVersion(), version,
      millisSince(start));
    publish("tenant.migrated", id);
    return require(id);
  }

  /** Asks the data verticle that owns the tenant to close its pool once in-flight requests have finished. */
  Future<Void> closePool(String id, String reason) {
    return sendPoolCommand(Actions.POOL_CLOSE, id, reason);
  }

  /**
   * Closes the tenant's pool like {@link #closePool} and keeps it closed until
   * {@link #releasePool}. Meanwhile requests fail with {@code unavailable} and open no connection.
   */
  Future<Void> holdPool(String id, String reason) {
    return sendPoolCommand(Actions.POOL_HOLD, id, reason);
  }

  /** Ends a {@link #holdPool}, so that the next request opens the pool again. */
  Future<Void> releasePool(String id) {
    return sendPoolCommand(Actions.POOL_RELEASE, id, "released");
  }

  private Future<Void> sendPoolCommand(String action, String id, String reason) {
    DeliveryOptions delivery = new DeliveryOptions().addHeader(MessageHeaders.ACTION, action);
    LogContext logContext = LogContext.current();
    if (logContext != null && logContext.requestId() != null) {
      // The owner's log lines about this close then carry the request that caused it.
      delivery.addHeader(MessageHeaders.REQUEST_ID, logContext.requestId());
    }
    return vertx.eventBus()
      .request(Addresses.control(Addresses.ownerOf(id, shardCount)),
        new JsonObject().put("tenant_id", id).put("reason", reason), delivery)
      .mapEmpty();
  }

  void publish(String type, String tenantId) {
    vertx.eventBus().publish(Addresses.EVENTS,
      new JsonObject().put("type", type).put("tenant_id", tenantId).put("at", Times.now()));
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
