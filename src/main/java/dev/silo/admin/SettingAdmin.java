package dev.silo.admin;

import dev.silo.error.SiloException;
import dev.silo.system.Setting;
import dev.silo.system.Settings;
import dev.silo.system.SystemDatabase;
import dev.silo.util.Blocking;
import dev.silo.util.Page;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Lists and sets settings ({@code settings.list}, {@code settings.put}). Runs on the
 * admin verticle's worker thread.
 * <p>
 * A value is any JSON value except {@code null}: a string, number, boolean, array or
 * object. It is stored as JSON text and returned as the same JSON value.
 */
final class SettingAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(SettingAdmin.class);

  /** Maximum size of a value, in bytes of its JSON text (UTF-8). */
  static final int MAX_VALUE_BYTES = 64 * 1024;

  private final SystemDatabase database;

  SettingAdmin(SystemDatabase database) {
    this.database = database;
  }

  /** Returns a page of settings by key. */
  Future<JsonObject> list(JsonObject request) {
    return Blocking.call(() -> Page.byTextCursor(request, KeyNames.MAX_LENGTH, "key",
      (after, limit) -> database.withConnection(c -> Settings.list(c, after, limit)).stream()
        .map(Setting::toJson).toList()));
  }

  /** Creates or replaces the setting whose key is in the request with {@code value}. */
  Future<JsonObject> put(JsonObject request) {
    return Blocking.call(() -> {
      String key = KeyNames.require(request, "key");
      String value = encodedValue(request);
      Setting setting = new Setting(key, value, Times.now());

      database.withConnection(c -> {
        Settings.put(c, setting);
        return null;
      });

      // The value may be a secret, such as an API key of another service, so only its size is logged.
      LOG.info("Set setting {} to a value of {} bytes", key, value.getBytes(StandardCharsets.UTF_8).length);
      return setting.toJson();
    });
  }

  private static String encodedValue(JsonObject request) {
    Object value = request.getValue("value");
    if (value == null) {
      throw SiloException.invalid("field 'value' is missing or null. Send a string, number, boolean, array or object");
    }
    String json = Json.encode(value);
    int size = json.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_VALUE_BYTES) {
      throw SiloException.invalid("field 'value' is " + size + " bytes as JSON, more than the maximum of "
        + MAX_VALUE_BYTES);
    }
    return json;
  }
}
