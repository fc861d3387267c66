package dev.silo.system;

import io.vertx.core.json.JsonArray;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@code feature_flags} table. Plans and tenants are stored as JSON arrays of
 * strings. Blocking calls on a connection of {@link SystemDatabase}.
 */
public final class FeatureFlags {

  private static final String COLUMNS = "name, enabled, plans, tenants, updated_at";

  private FeatureFlags() {
  }

  /** Returns up to {@code limit} flags with names after {@code after} (null for the first page), by name. */
  public static List<FeatureFlag> list(Connection connection, String after, int limit) throws SQLException {
    return Jdbc.query(connection, "SELECT " + COLUMNS + " FROM feature_flags WHERE name > ? ORDER BY name LIMIT ?",
      FeatureFlags::map, after == null ? "" : after, limit);
  }

  /** Returns every flag, by name. */
  public static List<FeatureFlag> all(Connection connection) throws SQLException {
    return Jdbc.query(connection, "SELECT " + COLUMNS + " FROM feature_flags ORDER BY name", FeatureFlags::map);
  }

  /** Inserts the flag, or replaces the flag with the same name. */
  public static void put(Connection connection, FeatureFlag flag) throws SQLException {
    Jdbc.update(connection, "INSERT INTO feature_flags (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, plans = excluded.plans, "
        + "tenants = excluded.tenants, updated_at = excluded.updated_at",
      flag.name(), flag.enabled() ? 1 : 0, new JsonArray(flag.plans()).encode(), new JsonArray(flag.tenants()).encode(),
      flag.updatedAt());
  }

  private static FeatureFlag map(ResultSet row) throws SQLException {
    return new FeatureFlag(row.getString("name"), row.getInt("enabled") == 1, strings(row.getString("plans")),
      strings(row.getString("tenants")), row.getString("updated_at"));
  }

  private static List<String> strings(String jsonArray) {
    return new JsonArray(jsonArray).stream().map(String.class::cast).toList();
  }
}
