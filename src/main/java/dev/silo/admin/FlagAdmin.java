package dev.silo.admin;

import dev.silo.error.SiloException;
import dev.silo.system.FeatureFlag;
import dev.silo.system.FeatureFlags;
import dev.silo.system.SystemDatabase;
import dev.silo.tenant.TenantId;
import dev.silo.util.Blocking;
import dev.silo.util.Fields;
import dev.silo.util.Page;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * Lists and sets feature flags ({@code flags.list}, {@code flags.put}). Runs on the
 * admin verticle's worker thread. {@link FeatureFlag} states when a flag is on for a
 * tenant.
 */
final class FlagAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(FlagAdmin.class);

  /** Maximum number of plans one flag names. */
  static final int MAX_PLANS = 100;

  /**
   * Maximum number of tenants one flag names. Every {@code GET /api/flags} reads all
   * flags, so a rollout to more tenants than this should go by plan.
   */
  static final int MAX_TENANTS = 1000;

  private final SystemDatabase database;

  FlagAdmin(SystemDatabase database) {
    this.database = database;
  }

  /** Returns a page of flags by name. */
  Future<JsonObject> list(JsonObject request) {
    return Blocking.call(() -> Page.byTextCursor(request, KeyNames.MAX_LENGTH, "name",
      (after, limit) -> database.withConnection(c -> FeatureFlags.list(c, after, limit)).stream()
        .map(FeatureFlag::toJson).toList()));
  }

  /**
   * Creates or replaces the flag named in the request with {@code enabled} (required),
   * {@code plans} and {@code tenants} (optional, duplicates dropped). Tenant ids must be
   * valid but need not exist yet, so a flag can be prepared before a tenant is provisioned.
   */
  Future<JsonObject> put(JsonObject request) {
    return Blocking.call(() -> {
      String name = KeyNames.require(request, "name");
      boolean enabled = Fields.requiredBoolean(request, "enabled");
      List<String> plans = distinct(Fields.optionalStringList(request, "plans", MAX_PLANS,
        TenantLifecycle.MAX_PLAN_LENGTH));
      List<String> tenants = distinct(validTenantIds(request));
      FeatureFlag flag = new FeatureFlag(name, enabled, plans, tenants, Times.now());

      database.withConnection(c -> {
        FeatureFlags.put(c, flag);
        return null;
      });

      LOG.info("Set feature flag {}: enabled {}, plans {}, {} tenants", name, enabled, plans, tenants.size());
      return flag.toJson();
    });
  }

  private static List<String> validTenantIds(JsonObject request) {
    List<String> ids = Fields.optionalStringList(request, "tenants", MAX_TENANTS, TenantId.MAX_LENGTH + 1);
    for (int i = 0; i < ids.size(); i++) {
      try {
        TenantId.validate(ids.get(i));
      } catch (SiloException e) {
        throw new SiloException(e.code(), "field 'tenants[" + i + "]': " + e.getMessage());
      }
    }
    return ids;
  }

  private static List<String> distinct(List<String> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }
}
