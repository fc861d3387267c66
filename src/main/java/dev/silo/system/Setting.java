package dev.silo.system;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A row of the {@code settings} table.
 *
 * @param value     the value as JSON text: a string, number, boolean, array or object
 * @param updatedAt time of the last change, ISO-8601 UTC
 */
public record Setting(String key, String value, String updatedAt) {

  /** Returns the setting as the HTTP and event-bus API shows it, with the value decoded. */
  public JsonObject toJson() {
    return new JsonObject()
      .put("key", key)
      .put("value", Json.decodeValue(value))
      .put("updated_at", updatedAt);
  }
}
