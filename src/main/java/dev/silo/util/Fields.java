package dev.silo.util;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads and checks fields of a JSON request. Every failure is a {@link SiloException}
 * with {@code invalid_request} whose message names the field and the rule.
 */
public final class Fields {

  /** Maximum length of a string field, in code points, unless the field sets its own. */
  public static final int DEFAULT_MAX_LENGTH = 1000;

  private Fields() {
  }

  /**
   * Fails with {@code invalid_request} when the object has a field outside {@code allowed}:
   * a misspelled optional field would otherwise be dropped without a word.
   */
  public static void rejectUnknown(JsonObject body, Set<String> allowed) {
    for (String field : body.fieldNames()) {
      if (!allowed.contains(field)) {
        throw SiloException.invalid("unknown field '" + field + "'; expected fields: "
          + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  public static String requiredString(JsonObject body, String field) {
    return requiredString(body, field, DEFAULT_MAX_LENGTH);
  }

  public static String requiredString(JsonObject body, String field, int maxLength) {
    String value = optionalString(body, field, maxLength);
    if (value == null || value.isBlank()) {
      throw SiloException.invalid("field '" + field + "' is required and must be a non-empty string");
    }
    return value;
  }

  /** Returns the string, or {@code null} when the field is absent or JSON null. */
  public static String optionalString(JsonObject body, String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String)) {
      throw SiloException.invalid("field '" + field + "' must be a string");
    }
    String text = (String) value;
    if (text.codePointCount(0, text.length()) > maxLength) {
      throw SiloException.invalid("field '" + field + "' is longer than " + maxLength + " characters");
    }
    if (text.indexOf('\0') >= 0) {
      throw SiloException.invalid("field '" + field + "' must not contain NUL characters");
    }
    return text;
  }

  public static long requiredLong(JsonObject body, String field, long min, long max) {
    Long value = optionalLong(body, field, min, max);
    if (value == null) {
      throw SiloException.invalid("field '" + field + "' is required and must be a whole number");
    }
    return value;
  }

  /** Returns the whole number, or {@code null} when the field is absent or JSON null. */
  public static Long optionalLong(JsonObject body, String field, long min, long max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    long number;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      number = ((Number) value).longValue();
    } else if (value instanceof Number && isWhole((Number) value)) {
      number = ((Number) value).longValue();
    } else {
      throw SiloException.invalid("field '" + field + "' must be a whole number");
    }
    if (number < min || number > max) {
      throw SiloException.invalid("field '" + field + "' must be from " + min + " to " + max + ", got " + number);
    }
    return number;
  }

  /**
   * Reads an integer id given as a JSON number or as the text of an HTTP path segment.
   */
  public static long requiredId(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value instanceof String) {
      try {
        long id = Long.parseLong((String) value);
        if (id >= 1) {
          return id;
        }
      } catch (NumberFormatException e) {
        // reported below with the rule
      }
      throw SiloException.invalid("'" + field + "' must be a whole number >= 1, got '" + value + "'");
    }
    return requiredLong(body, field, 1, Long.MAX_VALUE);
  }

  public static int requiredInt(JsonObject body, String field, int min, int max) {
    return (int) requiredLong(body, field, min, max);
  }

  /** Returns the boolean, or {@code defaultValue} when the field is absent or JSON null. */
  public static boolean optionalBoolean(JsonObject body, String field, boolean defaultValue) {
    Object value = body.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean)) {
      throw SiloException.invalid("field '" + field + "' must be true or false");
    }
    return (Boolean) value;
  }

  public static boolean requiredBoolean(JsonObject body, String field) {
    if (body.getValue(field) == null) {
      throw SiloException.invalid("field '" + field + "' is required and must be true or false");
    }
    return optionalBoolean(body, field, false);
  }

  /**
   * Returns the strings of an array field, or an empty list when the field is absent or
   * JSON null. Every item must be a non-blank string of at most {@code maxLength} characters.
   */
  public static List<String> optionalStringList(JsonObject body, String field, int maxItems, int maxLength) {
    JsonArray array = optionalArray(body, field);
    if (array.size() > maxItems) {
      throw SiloException.invalid("field '" + field + "' has " + array.size() + " items, more than the maximum of "
        + maxItems);
    }
    List<String> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject item = new JsonObject().put(field + "[" + i + "]", array.getValue(i));
      items.add(requiredString(item, field + "[" + i + "]", maxLength));
    }
    return items;
  }

  /** Returns the array, or an empty one when the field is absent or JSON null. */
  public static JsonArray optionalArray(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray)) {
      throw SiloException.invalid("field '" + field + "' must be an array");
    }
    return (JsonArray) value;
  }

  /** Returns the object, or {@code null} when the field is absent or JSON null. */
  public static JsonObject optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject)) {
      throw SiloException.invalid("field '" + field + "' must be an object");
    }
    return (JsonObject) value;
  }

  /** Reads an optional integer id like {@link #requiredId}, or returns {@code null} when it is absent or JSON null. */
  public static Long optionalId(JsonObject body, String field) {
    return body.getValue(field) == null ? null : requiredId(body, field);
  }

  /**
   * Reads a string that must be one of {@code allowed}, or returns {@code null} when the
   * field is absent or JSON null.
   */
  public static String optionalOneOf(JsonObject body, String field, List<String> allowed) {
    String value = optionalString(body, field, DEFAULT_MAX_LENGTH);
    if (value != null && !allowed.contains(value)) {
      throw SiloException.invalid("field '" + field + "' must be one of " + String.join(", ", allowed)
        + ", got '" + value + "'");
    }
    return value;
  }

  /**
   * Reads an ISO-8601 instant such as {@code 2026-12-04T19:03:15Z} and returns it in the
   * contract's form (UTC, whole seconds), or {@code null} when the field is absent or JSON null.
   */
  public static String optionalTime(JsonObject body, String field) {
    String text = optionalString(body, field, 64);
    if (text == null) {
      return null;
    }
    try {
      return Times.format(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw SiloException.invalid("field '" + field + "' must be an ISO-8601 UTC time such as "
        + "2026-12-04T19:03:15Z, got '" + text + "'");
    }
  }

  /** Returns the array, which must be present and hold 1 to {@code maxSize} elements. */
  public static JsonArray requiredArray(JsonObject body, String field, int maxSize) {
    JsonArray array = optionalArray(body, field);
    if (array.isEmpty() || array.size() > maxSize) {
      throw SiloException.invalid("field '" + field + "' must be an array of 1 to " + maxSize + " elements");
    }
    return array;
  }

  /**
   * Reads element {@code index} of the array field {@code field} with {@code reader}. The
   * element must be an object. An {@code invalid_request} failure of the reader gets the
   * element's path in front of its message, such as {@code lines[2]: }.
   */
  public static <T> T element(JsonArray array, String field, int index, Function<JsonObject, T> reader) {
    String path = field + "[" + index + "]";
    Object value = array.getValue(index);
    if (!(value instanceof JsonObject)) {
      throw SiloException.invalid("field '" + path + "' must be an object");
    }
    try {
      return reader.apply((JsonObject) value);
    } catch (SiloException e) {
      if (e.code() != ErrorCode.INVALID_REQUEST) {
        throw e;
      }
      throw SiloException.invalid(path + ": " + e.getMessage());
    }
  }

  private static boolean isWhole(Number number) {
    double value = number.doubleValue();
    return !Double.isInfinite(value) && value == Math.rint(value) && Math.abs(value) < 9.0e15;
  }
}
