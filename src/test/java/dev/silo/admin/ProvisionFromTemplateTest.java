package dev.silo.admin;

import dev.silo.config.SiloOptions;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantMigrator;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import dev.silo.testing.SqliteFiles;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisionFromTemplateTest {

  @TempDir
  Path dataDir;

  @TempDir
  Path migrationsDir;

  @Test
  void provisionedFileIsCopyOfTemplate() throws Exception {
    try (SiloTestServer silo = SiloTestServer.start(dataDir)) {
      JsonObject tenant = silo.provision("acme");

      assertThat(tenant.getString("status")).isEqualTo("active");
      assertThat(tenant.getString("schema_version")).isEqualTo("1");
      List<String> templates = SqliteFiles.fileNames(dataDir.resolve("templates"));
      assertThat(templates).singleElement().asString().matches("tenant-v1-[0-9a-f]{16}\\.db");
      Path template = dataDir.resolve("templates").resolve(templates.get(0));
      // No request has opened the tenant yet, so its file is still the copy.
      assertThat(Files.mismatch(dataDir.resolve("tenants/acme.db"), template)).isEqualTo(-1);
    }
  }

  @Test
  void provisionedTenantHasSchemaOfMigratedOne() throws Exception {
    try (SiloTestServer silo = SiloTestServer.start(dataDir)) {
      silo.provision("acme");
      HttpResult product = silo.call("POST", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", new JsonObject()
        .put("sku", "SKU-1").put("name", "Chai").put("unit_price_cents", 1800).put("units_in_stock", 39));
      assertThat(product.status()).as(product.toString()).isEqualTo(201);
    }
    Path migrated = migrationsDir.resolve("migrated.db");
    new TenantMigrator(new SqliteSettings("NORMAL", 5000), List.of("classpath:db/tenant")).migrate(migrated);

    assertThat(SqliteFiles.schema(dataDir.resolve("tenants/acme.db"))).isEqualTo(SqliteFiles.schema(migrated));
    assertThat(SqliteFiles.writeVersion(dataDir.resolve("tenants/acme.db"))).as("WAL mode once opened").isEqualTo(2);
  }

  @Test
  void editedMigrationChangesSchemaOfNewTenants() throws Exception {
    Path migration = migrationsDir.resolve("V2__add_column.sql");
    Files.writeString(migration, "ALTER TABLE products ADD COLUMN note TEXT;\n");
    try (SiloTestServer silo = startWithMigrations()) {
      silo.provision("alpha");
    }
    String firstTemplate = SqliteFiles.fileNames(dataDir.resolve("templates")).get(0);

    Files.writeString(migration, "ALTER TABLE products ADD COLUMN remark TEXT;\n");
    try (SiloTestServer silo = startWithMigrations()) {
      JsonObject tenant = silo.provision("bravo");
      assertThat(tenant.getString("schema_version")).isEqualTo("2");
    }

    assertThat(SqliteFiles.fileNames(dataDir.resolve("templates"))).singleElement().asString()
      .startsWith("tenant-v2-").isNotEqualTo(firstTemplate);
    assertThat(SqliteFiles.schema(dataDir.resolve("tenants/alpha.db"))).anyMatch(line -> line.contains("note TEXT"));
    assertThat(SqliteFiles.schema(dataDir.resolve("tenants/bravo.db")))
      .anyMatch(line -> line.contains("remark TEXT"))
      .noneMatch(line -> line.contains("note TEXT"));
  }

  @Test
  void provisionWithoutTemplateRunsFlyway() throws IOException {
    // A file where the templates folder belongs makes the template build fail.
    Files.write(dataDir.resolve("templates"), new byte[0]);
    try (SiloTestServer silo = SiloTestServer.start(dataDir)) {
      JsonObject tenant = silo.provision("acme");
      HttpResult products = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "acme", null);

      assertThat(tenant.getString("status")).isEqualTo("active");
      assertThat(tenant.getString("schema_version")).isEqualTo("1");
      assertThat(products.status()).as(products.toString()).isEqualTo(200);
    }
    assertThat(SqliteFiles.fileNames(dataDir.resolve("tenants"))).allMatch(name -> name.startsWith("acme.db"))
      .doesNotContain("acme.db.tmp");
  }

  private SiloTestServer startWithMigrations() {
    return SiloTestServer.start(dataDir, options -> options
      .with(SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrationsDir));
  }
}
