package dev.silo.admin;

import dev.silo.bus.ActionHandler;
import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.bus.Replies;
import dev.silo.config.SiloOptions;
import dev.silo.error.SiloException;
import dev.silo.logging.LogContext;
import dev.silo.metrics.SiloMetrics;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.system.TokenCache;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantMigrator;
import dev.silo.tenant.TenantTemplate;
import dev.silo.util.Blocking;
import dev.silo.util.Page;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one place where tenants change state. Deploy exactly one instance, as a worker.
 * <p>
 * Every action that changes something waits in a {@link SerialQueue} until the change
 * before it has completed, including the asynchronous steps such as closing a pool on
 * its owner; so provision, delete, migrate, backup and restore of a tenant never overlap. Read-only
 * actions ({@link Actions#ADMIN_READS}) skip the queue.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
  private static final Set<String> ID = Set.of("id");
  private static final Set<String> PAGE = Set.of("limit", "after");

  private final SiloOptions options;
  private final SystemDatabase database;
  private final TenantMigrator migrator;
  private final TenantTemplate template;
  private final SiloMetrics metrics;
  private final TokenCache tokenCache;
  private final Map<String, ActionHandler> actions = new HashMap<>();
  private final SerialQueue queue = new SerialQueue();
  private MigrationJobRunner jobs;

  /**
   * Creates the verticle. {@code template} creates the database files of new tenants.
   * {@code tokenCache} is the cache of the HTTP verticles, which token revocation and
   * tenant deletion invalidate before they reply.
   */
  public AdminVerticle(SiloOptions options, SystemDatabase database, TenantMigrator migrator,
                       TenantTemplate template, SiloMetrics metrics, TokenCache tokenCache) {
    this.options = options;
    this.database = database;
    this.migrator = migrator;
    this.template = template;
    this.metrics = metrics;
    this.tokenCache = tokenCache;
  }

  @Override
  public Future<?> start() {
    TenantLifecycle lifecycle = new TenantLifecycle(vertx, database, options.dataDir(), migrator, template,
      options.get(SiloOptions.DATA_INSTANCES), tokenCache);
    SqliteSettings sqlite = new SqliteSettings(options);
    BackupAdmin backups = new BackupAdmin(vertx, database, lifecycle, sqlite, options.dataDir(),
      options.get(SiloOptions.BACKUP_RETENTION));
    TenantRestore restore = new TenantRestore(vertx, database, lifecycle, sqlite,
      new RestoreStaging(sqlite, migrator), options.dataDir());
    AccessAdmin access = new AccessAdmin(database, lifecycle, tokenCache);
    FlagAdmin flags = new FlagAdmin(database);
    SettingAdmin settings = new SettingAdmin(database);
    jobs = new MigrationJobRunner(vertx, database, migrator, lifecycle, queue,
      options.get(SiloOptions.MIGRATION_PARALLELISM), metrics);

    actions.put(Actions.TENANTS_PROVISION, lifecycle::provision);
    // GET actions check their fields here, because their query parameters arrive as fields.
    actions.put(Actions.TENANTS_LIST, ActionHandler.accepting(PAGE, this::listTenants));
    actions.put(Actions.TENANTS_GET, ActionHandler.accepting(ID, request -> Blocking.call(
      () -> lifecycle.require(request.getString("id")).toJson())));
    actions.put(Actions.TENANTS_SUSPEND, lifecycle::suspend);
    actions.put(Actions.TENANTS_RESUME, lifecycle::resume);
    actions.put(Actions.TENANTS_DELETE, lifecycle::delete);
    actions.put(Actions.TENANTS_MIGRATE, lifecycle::migrate);
    actions.put(Actions.TOKENS_CREATE, access::createTenantToken);
    actions.put(Actions.USERS_CREATE, access::createUser);
    actions.put(Actions.TOKENS_LIST, ActionHandler.accepting(Set.of("tenant_id", "user_id", "limit", "after"),
      access::listTokens));
    actions.put(Actions.TOKENS_REVOKE, access::revokeToken);
    actions.put(Actions.FLAGS_LIST, ActionHandler.accepting(PAGE, flags::list));
    actions.put(Actions.FLAGS_PUT, flags::put);
    actions.put(Actions.SETTINGS_LIST, ActionHandler.accepting(PAGE, settings::list));
    actions.put(Actions.SETTINGS_PUT, settings::put);
    actions.put(Actions.MIGRATIONS_START, jobs::start);
    actions.put(Actions.MIGRATIONS_GET, ActionHandler.accepting(ID, jobs::get));
    actions.put(Actions.BACKUPS_CREATE, backups::create);
    actions.put(Actions.BACKUPS_LIST, ActionHandler.accepting(Set.of("id", "limit", "after"), backups::list));
    actions.put(Actions.BACKUPS_RESTORE, restore::restore);
    actions.put(Actions.PING, request -> Future.succeededFuture(new JsonObject().put("status", "UP")));

    actions.put(Actions.MIGRATIONS_RESUME, jobs::resumeInterrupted);

    return vertx.eventBus().<JsonObject>consumer(Addresses.ADMIN, this::handle).completion()
      .onSuccess(v -> LOG.info("Admin verticle started; tenant schema target version {}", migrator.targetVersion()));
  }

  /**
   * Waits for the current batch of a running migration job. The job goes on at the next
   * start.
   */
  @Override
  public Future<?> stop() {
    return jobs.stop();
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(MessageHeaders.ACTION);
    LogContext.bind(Vertx.currentContext(), new LogContext(message.headers().get(MessageHeaders.REQUEST_ID), null));
    JsonObject request = message.body() == null ? new JsonObject() : message.body();
    ActionHandler handler = action == null ? null : actions.get(action);
    // Read before the dispatch: an idle queue runs the action at once, inside submit.
    long start = System.nanoTime();
    Future<JsonObject> result;
    if (handler == null) {
      result = Future.failedFuture(SiloException.invalid("unknown action '" + action + "' on " + Addresses.ADMIN));
    } else if (Actions.ADMIN_READS.contains(action)) {
      result = call(handler, request);
    } else {
      result = queue.submit(() -> call(handler, request));
    }
    if (handler != null && !Actions.PING.equals(action)) {
      result.onComplete(ar -> metrics.adminAction(action, ar.succeeded(), System.nanoTime() - start));
    }
    result.onComplete(ar -> Replies.send(message, ar, LOG, "Admin action " + action));
  }

  private static Future<JsonObject> call(ActionHandler handler, JsonObject request) {
    try {
      return handler.handle(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> listTenants(JsonObject request) {
    return Blocking.call(() -> Page.byTextCursor(request, 64, "id",
      (after, limit) -> database.withConnection(c -> TenantRegistry.list(c, after, limit)).stream()
        .map(TenantRecord::toJson).toList()));
  }
}
