package dev.silo.admin;

import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests and file checks shared by the backup and restore tests. */
final class BackupTesting {

  private BackupTesting() {
  }

  /** Backs up a tenant with the admin token and returns the reply, which must be 201. */
  static JsonObject backup(SiloTestServer server, String tenantId) {
    HttpResult result = server.admin("POST", "/admin/tenants/" + tenantId + "/backups", null);
    assertThat(result.status()).as("backup of %s: %s", tenantId, result).isEqualTo(201);
    return result.json();
  }

  /** Restores a tenant from a backup with the admin token and returns the reply. */
  static HttpResult restore(SiloTestServer server, String tenantId, String backupId) {
    return server.admin("POST", "/admin/tenants/" + tenantId + "/restore", new JsonObject().put("backup_id", backupId));
  }

  /** Creates a product as the tenant of {@code token} and returns its id. */
  static long product(SiloTestServer server, String token, String sku, long unitsInStock) {
    HttpResult result = server.call("POST", "/api/products", token, null, new JsonObject()
      .put("sku", sku).put("name", "Product " + sku).put("unit_price_cents", 100).put("units_in_stock", unitsInStock));
    assertThat(result.status()).as("create product %s: %s", sku, result).isEqualTo(201);
    return result.json().getLong("id");
  }

  /** Returns the SKUs of a tenant's products, read over HTTP, in id order. */
  static List<String> skus(SiloTestServer server, String token) {
    HttpResult result = server.call("GET", "/api/products", token, null, null);
    assertThat(result.status()).as("list products: %s", result).isEqualTo(200);
    return result.items().stream().map(item -> ((JsonObject) item).getString("sku")).toList();
  }

  /**
   * Runs a query for one number on a database file. A backup is in rollback-journal mode,
   * so reading it creates no file beside it. Query a copy of a WAL-mode file instead.
   */
  static long queryLong(Path database, String sql) throws SQLException {
    try (Connection connection = open(database); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row from %s", sql).isTrue();
      return rows.getLong(1);
    }
  }

  /** Returns the rows of {@code PRAGMA integrity_check} on a database file, {@code ["ok"]} when it is sound. */
  static List<String> integrityCheck(Path database) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Connection connection = open(database); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
      while (rows.next()) {
        problems.add(rows.getString(1));
      }
    }
    return problems;
  }

  private static Connection open(Path database) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + database);
  }
}
