package dev.silo.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A feature flag of the {@code feature_flags} table.
 * <p>
 * A flag is on for a tenant when it is enabled, and {@code plans} is empty or contains
 * the tenant's plan, and {@code tenants} is empty or contains the tenant's id. So an
 * enabled flag with both lists empty is on for every tenant, and a flag that names plans
 * and tenants is on only for the named tenants that are on one of the named plans.
 *
 * @param plans     plan names the flag is limited to; empty for every plan
 * @param tenants   tenant ids the flag is limited to; empty for every tenant
 * @param updatedAt time of the last change, ISO-8601 UTC
 */
public record FeatureFlag(String name, boolean enabled, List<String> plans, List<String> tenants, String updatedAt) {

  public FeatureFlag {
    plans = List.copyOf(plans);
    tenants = List.copyOf(tenants);
  }

  /** Returns whether the flag is on for a tenant with this id and plan. */
  public boolean isOnFor(String tenantId, String plan) {
    return enabled
      && (plans.isEmpty() || plans.contains(plan))
      && (tenants.isEmpty() || tenants.contains(tenantId));
  }

  /** Returns the flag as the HTTP and event-bus API shows it. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("enabled", enabled)
      .put("plans", new JsonArray(plans))
      .put("tenants", new JsonArray(tenants))
      .put("updated_at", updatedAt);
  }
}
