package dev.silo.admin;

import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.silo.admin.BackupTesting.backup;
import static dev.silo.admin.BackupTesting.product;
import static dev.silo.admin.BackupTesting.queryLong;
import static dev.silo.admin.BackupTesting.restore;
import static dev.silo.admin.BackupTesting.skus;
import static org.assertj.core.api.Assertions.assertThat;

class RestoreApiTest {

  @TempDir
  Path dataDir;

  @TempDir
  Path migrationsDir;

  private SiloTestServer server;

  @AfterEach
  void stopServer() {
    stop();
  }

  @Test
  void restoreReturnsBackedUpDataAfterRestart() {
    String token = startWithTenant();
    long keptProduct = product(server, token, "KEPT", 5);
    long removedProduct = product(server, token, "REMOVED", 3);
    String backupId = backup(server, "acme").getString("id");
    product(server, token, "AFTER-BACKUP", 1);
    assertThat(server.call("PUT", "/api/products/" + keptProduct, token, null, new JsonObject()
      .put("sku", "KEPT").put("name", "Changed").put("unit_price_cents", 100).put("units_in_stock", 99)).status())
      .isEqualTo(200);
    assertThat(server.call("DELETE", "/api/products/" + removedProduct, token, null, null).status()).isEqualTo(204);

    HttpResult restored = restore(server, "acme", backupId);

    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    assertThat(restored.json().getString("id")).isEqualTo("acme");
    assertThat(restored.json().getString("status")).isEqualTo("active");
    assertThat(restored.json().getString("schema_version")).isEqualTo("1");
    assertThat(skus(server, token)).containsExactly("KEPT", "REMOVED");
    assertThat(server.call("GET", "/api/products/" + keptProduct, token, null, null).json().getLong("units_in_stock"))
      .isEqualTo(5);
    assertThat(dataDir.resolve("tenants").resolve("acme.db.restore")).doesNotExist();

    stop();
    start(UnaryOperator.identity());

    assertThat(skus(server, token)).containsExactly("KEPT", "REMOVED");
    assertThat(server.call("GET", "/api/products/" + keptProduct, token, null, null).json().getLong("units_in_stock"))
      .isEqualTo(5);
    product(server, token, "AFTER-RESTORE", 2);
    assertThat(skus(server, token)).containsExactly("KEPT", "REMOVED", "AFTER-RESTORE");
  }

  @Test
  void damagedBackupIsRejected() throws Exception {
    String token = startWithTenant();
    product(server, token, "BEFORE", 5);
    String backupId = backup(server, "acme").getString("id");
    product(server, token, "AFTER", 5);
    Path backupFile = backupFile("acme", backupId);
    long productsPage = queryLong(backupFile, "SELECT rootpage FROM sqlite_schema WHERE name = 'products'");
    damagePage(backupFile, productsPage);

    HttpResult restored = restore(server, "acme", backupId);

    assertRejected(restored, backupId, "PRAGMA integrity_check");
    assertThat(skus(server, token)).containsExactly("BEFORE", "AFTER");
    assertThat(dataDir.resolve("tenants").resolve("acme.db.restore")).doesNotExist();
    product(server, token, "AFTER-REJECTED", 5);
    assertThat(skus(server, token)).containsExactly("BEFORE", "AFTER", "AFTER-REJECTED");
  }

  @Test
  void nonDatabaseBackupIsRejected() throws IOException {
    String token = startWithTenant();
    product(server, token, "CURRENT", 5);
    String backupId = backup(server, "acme").getString("id");
    Files.writeString(backupFile("acme", backupId), "not a database ".repeat(1000));

    HttpResult restored = restore(server, "acme", backupId);

    assertRejected(restored, backupId, "cannot be read as an SQLite database");
    assertThat(skus(server, token)).containsExactly("CURRENT");
  }

  @Test
  void unknownBackupIsNotFound() {
    start(UnaryOperator.identity());
    server.provision("acme");
    backup(server, "acme");

    HttpResult restored = restore(server, "acme", "bak_20200101T000000000Z");

    assertThat(restored.status()).as(restored.toString()).isEqualTo(404);
    assertThat(restored.errorCode()).isEqualTo("not_found");
  }

  @Test
  void invalidBackupIdIsRejected() {
    start(UnaryOperator.identity());
    server.provision("acme");

    for (String id : List.of("../../system", "bak_2026", "bak_20261304T000000000Z", "bak_20260101T000000000Z.db", "")) {
      HttpResult result = restore(server, "acme", id);
      assertThat(result.status()).as("backup_id '%s': %s", id, result).isEqualTo(400);
      assertThat(result.errorCode()).as("backup_id '%s'", id).isEqualTo("invalid_request");
    }
    HttpResult missing = server.admin("POST", "/admin/tenants/acme/restore", new JsonObject());
    HttpResult number = server.admin("POST", "/admin/tenants/acme/restore", new JsonObject().put("backup_id", 7));
    HttpResult misspelled = server.admin("POST", "/admin/tenants/acme/restore",
      new JsonObject().put("backupId", "bak_20260101T000000000Z"));
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(number.status()).as(number.toString()).isEqualTo(400);
    assertThat(misspelled.status()).as(misspelled.toString()).isEqualTo(400);
    assertThat(misspelled.json().getJsonObject("error").getString("message")).contains("unknown field 'backupId'");
  }

  @Test
  void suspendedTenantIsBackedUpAndRestored() {
    String token = startWithTenant();
    product(server, token, "FIRST", 1);
    String firstBackup = backup(server, "acme").getString("id");
    product(server, token, "SECOND", 1);
    assertThat(server.admin("POST", "/admin/tenants/acme/suspend", new JsonObject().put("reason", "audit")).status())
      .isEqualTo(200);

    JsonObject whileSuspended = backup(server, "acme");
    HttpResult restored = restore(server, "acme", firstBackup);

    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    assertThat(restored.json().getString("status")).isEqualTo("suspended");
    assertThat(server.call("GET", "/api/products", token, null, null).errorCode()).isEqualTo("tenant_suspended");
    assertThat(server.admin("POST", "/admin/tenants/acme/resume", null).status()).isEqualTo(200);
    assertThat(skus(server, token)).containsExactly("FIRST");
    assertThat(restore(server, "acme", whileSuspended.getString("id")).status()).isEqualTo(200);
    assertThat(skus(server, token)).containsExactly("FIRST", "SECOND");
  }

  @Test
  void deletedTenantIsRecoveredFromBackup() {
    start(UnaryOperator.identity());
    server.provision("acme");
    product(server, server.tenantToken("acme"), "SAVED", 4);
    String backupId = backup(server, "acme").getString("id");
    assertThat(server.admin("DELETE", "/admin/tenants/acme", null).status()).isEqualTo(204);

    HttpResult listed = server.admin("GET", "/admin/tenants/acme/backups", null);
    HttpResult whileDeleted = restore(server, "acme", backupId);
    server.provision("acme");
    String token = server.tenantToken("acme");
    assertThat(skus(server, token)).isEmpty();
    HttpResult restored = restore(server, "acme", backupId);

    assertThat(backupFile("acme", backupId)).exists();
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.items().getJsonObject(0).getString("id")).isEqualTo(backupId);
    assertThat(whileDeleted.status()).as(whileDeleted.toString()).isEqualTo(404);
    assertThat(whileDeleted.errorCode()).isEqualTo("tenant_not_found");
    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    assertThat(skus(server, token)).containsExactly("SAVED");
  }

  @Test
  void olderBackupIsMigratedOnRestore() throws Exception {
    String token = startWithTenant();
    product(server, token, "OLD-SCHEMA", 1);
    String backupId = backup(server, "acme").getString("id");
    restartWithNoteColumn();
    product(server, token, "NEW-SCHEMA", 1);
    assertThat(tenant("acme").getString("schema_version")).isEqualTo("2");

    HttpResult restored = restore(server, "acme", backupId);

    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    assertThat(restored.json().getString("schema_version")).isEqualTo("2");
    assertThat(skus(server, token)).containsExactly("OLD-SCHEMA");
    Path backupFile = backupFile("acme", backupId);
    assertThat(queryLong(backupFile, "SELECT count(*) FROM flyway_schema_history WHERE version = '2'"))
      .as("migrations applied to the backup file itself").isZero();
    stop();
    assertThat(queryLong(dataDir.resolve("tenants").resolve("acme.db"),
      "SELECT count(*) FROM pragma_table_info('products') WHERE name = 'note'")).isEqualTo(1);
  }

  @Test
  void newerBackupIsRejected() throws IOException {
    restartWithNoteColumn();
    server.provision("acme");
    String token = server.tenantToken("acme");
    product(server, token, "CURRENT", 1);
    String backupId = backup(server, "acme").getString("id");
    stop();
    start(UnaryOperator.identity());

    HttpResult restored = restore(server, "acme", backupId);

    assertRejected(restored, backupId, "schema version 2, newer than this server's 1");
    assertThat(skus(server, token)).containsExactly("CURRENT");
  }

  /** Checks the reply of a restore that {@code backup_invalid} rejected for {@code reason}. */
  private static void assertRejected(HttpResult restored, String backupId, String reason) {
    assertThat(restored.status()).as(restored.toString()).isEqualTo(409);
    assertThat(restored.errorCode()).isEqualTo("backup_invalid");
    assertThat(restored.json().getJsonObject("error").getString("message"))
      .contains(backupId, reason, "The tenant keeps its current data.");
  }

  /** Starts the server with the default options and provisions {@code acme}; returns its token. */
  private String startWithTenant() {
    start(UnaryOperator.identity());
    server.provision("acme");
    return server.tenantToken("acme");
  }

  private void start(UnaryOperator<SiloOptions> customize) {
    server = SiloTestServer.start(dataDir, customize);
  }

  private void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Restarts (or starts) the server with a second tenant migration that adds {@code products.note}. */
  private void restartWithNoteColumn() throws IOException {
    stop();
    Files.writeString(migrationsDir.resolve("V2__add_note.sql"), "ALTER TABLE products ADD COLUMN note TEXT;\n");
    start(options -> options.with(SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrationsDir));
  }

  private JsonObject tenant(String id) {
    HttpResult result = server.admin("GET", "/admin/tenants/" + id, null);
    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    return result.json();
  }

  private Path backupFile(String tenantId, String backupId) {
    return dataDir.resolve("backups").resolve(tenantId).resolve(backupId + ".db");
  }

  /**
   * Overwrites the cell pointers of one b-tree page with bytes that point past its end,
   * leaving the file header intact, so SQLite opens the file and integrity_check fails.
   */
  private static void damagePage(Path database, long pageNumber) throws IOException, SQLException {
    long pageSize = queryLong(database, "PRAGMA page_size");
    byte[] garbage = new byte[256];
    Arrays.fill(garbage, (byte) 0x5a);
    try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
      // A page that is not page 1 starts with an 8-byte header for leaf pages; the cell pointers follow.
      file.seek((pageNumber - 1) * pageSize + 8);
      file.write(garbage);
    }
  }
}
