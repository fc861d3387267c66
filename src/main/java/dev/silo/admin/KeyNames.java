package dev.silo.admin;

import dev.silo.error.SiloException;
import dev.silo.util.Fields;
import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/**
 * The rule for feature flag names and setting keys: 1 to 64 characters of
 * {@code [a-z0-9_.-]}, starting with a letter or digit. Such names are safe in URL paths,
 * JSON keys and log lines.
 */
final class KeyNames {

  static final int MAX_LENGTH = 64;

  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  private KeyNames() {
  }

  /** Returns the name in {@code field} of the request, or throws {@code invalid_request} naming the rule. */
  static String require(JsonObject request, String field) {
    String name = Fields.requiredString(request, field, MAX_LENGTH);
    if (!SHAPE.matcher(name).matches()) {
      throw SiloException.invalid("invalid " + field + " '" + name + "'. Use 1 to " + MAX_LENGTH
        + " characters of a-z, 0-9, '_', '.' and '-', starting with a letter or digit");
    }
    return name;
  }
}
