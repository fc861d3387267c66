package dev.silo.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The {@code tenants} table. Blocking calls on a connection of {@link SystemDatabase}. */
public final class TenantRegistry {

  private static final String COLUMNS =
    "id, name, plan, status, suspended_reason, schema_version, created_at, updated_at";

  private TenantRegistry() {
  }

  public static Optional<TenantRecord> find(Connection connection, String id) throws SQLException {
    return Jdbc.queryOne(connection, "SELECT " + COLUMNS + " FROM tenants WHERE id = ?", TenantRegistry::map, id);
  }

  /** Returns up to {@code limit} tenants with ids after {@code after} (null for the first page), by id. */
  public static List<TenantRecord> list(Connection connection, String after, int limit) throws SQLException {
    return Jdbc.query(connection,
      "SELECT " + COLUMNS + " FROM tenants WHERE id > ? ORDER BY id LIMIT ?",
      TenantRegistry::map, after == null ? "" : after, limit);
  }

  /** Returns every tenant with the given status, by id. */
  public static List<TenantRecord> withStatus(Connection connection, TenantStatus status) throws SQLException {
    return Jdbc.query(connection, "SELECT " + COLUMNS + " FROM tenants WHERE status = ? ORDER BY id",
      TenantRegistry::map, status.value());
  }

  public static void insert(Connection connection, TenantRecord tenant) throws SQLException {
    Jdbc.update(connection, "INSERT INTO tenants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      tenant.id(), tenant.name(), tenant.plan(), tenant.status().value(), tenant.suspendedReason(),
      tenant.schemaVersion(), tenant.createdAt(), tenant.updatedAt());
  }

  public static void updateStatus(Connection connection, String id, TenantStatus status, String reason, String at)
    throws SQLException {
    Jdbc.update(connection, "UPDATE tenants SET status = ?, suspended_reason = ?, updated_at = ? WHERE id = ?",
      status.value(), reason, at, id);
  }

  public static void updateSchemaVersion(Connection connection, String id, String version, String at)
    throws SQLException {
    Jdbc.update(connection, "UPDATE tenants SET schema_version = ?, updated_at = ? WHERE id = ?", version, at, id);
  }

  /**
   * Deletes the tenant row and, through the foreign key's ON DELETE CASCADE, its tokens. A
   * running server then calls {@link TokenCache#invalidateTenant}.
   */
  public static void delete(Connection connection, String id) throws SQLException {
    Jdbc.update(connection, "DELETE FROM tenants WHERE id = ?", id);
  }

  private static TenantRecord map(ResultSet row) throws SQLException {
    return new TenantRecord(row.getString("id"), row.getString("name"), row.getString("plan"),
      TenantStatus.fromValue(row.getString("status")), row.getString("suspended_reason"),
      row.getString("schema_version"), row.getString("created_at"), row.getString("updated_at"));
  }
}
