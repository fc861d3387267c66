package dev.silo.system;

import io.vertx.core.json.JsonObject;

/** A tenant row of the system database. */
public record TenantRecord(String id, String name, String plan, TenantStatus status, String suspendedReason,
                           String schemaVersion, String createdAt, String updatedAt) {

  /** Returns the tenant as the HTTP and event-bus API shows it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("name", name)
      .put("plan", plan)
      .put("status", status.value())
      .put("created_at", createdAt)
      .put("updated_at", updatedAt)
      .put("schema_version", schemaVersion);
    if (suspendedReason != null) {
      json.put("suspended_reason", suspendedReason);
    }
    return json;
  }

  public TenantRecord withStatus(TenantStatus newStatus, String reason, String at) {
    return new TenantRecord(id, name, plan, newStatus, reason, schemaVersion, createdAt, at);
  }
}
