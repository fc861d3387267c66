package dev.silo.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The {@code settings} table. Blocking calls on a connection of {@link SystemDatabase}. */
public final class Settings {

  private Settings() {
  }

  /** Returns up to {@code limit} settings with keys after {@code after} (null for the first page), by key. */
  public static List<Setting> list(Connection connection, String after, int limit) throws SQLException {
    return Jdbc.query(connection, "SELECT key, value, updated_at FROM settings WHERE key > ? ORDER BY key LIMIT ?",
      Settings::map, after == null ? "" : after, limit);
  }

  /** Inserts the setting, or replaces the value of the setting with the same key. */
  public static void put(Connection connection, Setting setting) throws SQLException {
    Jdbc.update(connection, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      setting.key(), setting.value(), setting.updatedAt());
  }

  private static Setting map(ResultSet row) throws SQLException {
    return new Setting(row.getString("key"), row.getString("value"), row.getString("updated_at"));
  }
}
