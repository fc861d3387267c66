package dev.silo.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Converters from raw configuration values (JSON values or strings) to typed values. */
final class Parsers {

  private Parsers() {
  }

  static Function<Object, Integer> integer(int min, int max) {
    return raw -> {
      long value;
      if (raw instanceof Number && !(raw instanceof Double || raw instanceof Float)) {
        value = ((Number) raw).longValue();
      } else if (raw instanceof String) {
        try {
          value = Long.parseLong(((String) raw).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
        }
      } else {
        throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException("must be from " + min + " to " + max);
      }
      return (int) value;
    };
  }

  static Function<Object, Boolean> bool() {
    return raw -> {
      if (raw instanceof Boolean) {
        return (Boolean) raw;
      }
      if (raw instanceof String) {
        String value = ((String) raw).trim().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
          return Boolean.valueOf(value);
        }
      }
      throw new IllegalArgumentException("must be true or false");
    };
  }

  static Function<Object, String> text(boolean allowEmpty) {
    return raw -> {
      if (!(raw instanceof String)) {
        throw new IllegalArgumentException("must be a string");
      }
      String value = ((String) raw).trim();
      if (!allowEmpty && value.isEmpty()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return value;
    };
  }

  static Function<Object, String> oneOf(String... allowed) {
    return raw -> {
      String value = text(false).apply(raw).toUpperCase(Locale.ROOT);
      if (!Arrays.asList(allowed).contains(value)) {
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
      }
      return value;
    };
  }

  /** Parses a comma-separated string or a JSON array of non-empty strings. */
  static Function<Object, List<String>> list() {
    return raw -> {
      List<String> values;
      if (raw instanceof String) {
        values = Arrays.stream(((String) raw).split(",")).map(String::trim).collect(Collectors.toList());
      } else if (raw instanceof List) {
        values = ((List<?>) raw).stream().map(v -> v == null ? "" : v.toString().trim()).collect(Collectors.toList());
      } else if (raw instanceof io.vertx.core.json.JsonArray) {
        values = ((io.vertx.core.json.JsonArray) raw).stream().map(v -> v == null ? "" : v.toString().trim()).collect(Collectors.toList());
      } else {
        throw new IllegalArgumentException("must be a comma-separated string or an array of strings");
      }
      if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("must list at least one entry and no empty ones");
      }
      return List.copyOf(values);
    };
  }
}
