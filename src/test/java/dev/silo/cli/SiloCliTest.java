package dev.silo.cli;

import dev.silo.testing.HttpResult;
import dev.silo.testing.JarProcess;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every admin command in-process against a real server, checking output and exit codes. */
class SiloCliTest {

  @TempDir
  static Path dataDir;

  private static SiloTestServer silo;

  /** Output and exit code of one command line. */
  record Run(int exitCode, String out, String err) {

    JsonObject json() {
      return new JsonObject(out);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  @BeforeAll
  static void start() {
    silo = SiloTestServer.start(dataDir);
  }

  @AfterAll
  static void stop() {
    silo.close();
  }

  @Test
  void tenantsCreatePrintsTable() {
    Run run = cli("tenants", "create", "cli-create", "--plan", "pro", "--name", "Create Ltd");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("ID").contains("NAME", "PLAN", "STATUS", "SCHEMA");
    assertThat(lines.get(1)).startsWith("cli-create").contains("Create Ltd", "pro", "active");
    assertThat(silo.admin("GET", "/admin/tenants/cli-create", null).status()).isEqualTo(200);
  }

  @Test
  void tenantsGetPrintsJson() {
    silo.provision("cli-get");

    Run run = cli("tenants", "get", "cli-get", "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().getString("id")).isEqualTo("cli-get");
    assertThat(run.json().getString("status")).isEqualTo("active");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void tenantsListFollowsPages() {
    List<String> ids = List.of("cli-list-a", "cli-list-b", "cli-list-c", "cli-list-d", "cli-list-e");
    ids.forEach(silo::provision);

    Run json = cli("tenants", "list", "--page-size", "2", "--json");
    Run table = cli("tenants", "list", "--page-size", "2");

    assertThat(json.exitCode()).as(json.toString()).isZero();
    List<String> listed = new ArrayList<>();
    json.json().getJsonArray("items").forEach(item -> listed.add(((JsonObject) item).getString("id")));
    assertThat(listed).containsAll(ids);
    assertThat(listed).doesNotHaveDuplicates();
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().count()).isEqualTo(listed.size() + 1L);
  }

  @Test
  void tenantsSuspendAndResume() {
    silo.provision("cli-suspend");

    Run suspended = cli("tenants", "suspend", "cli-suspend", "--reason", "invoice overdue", "--json");
    Run resumed = cli("tenants", "resume", "cli-suspend");

    assertThat(suspended.exitCode()).as(suspended.toString()).isZero();
    assertThat(suspended.json().getString("status")).isEqualTo("suspended");
    assertThat(suspended.json().getString("suspended_reason")).isEqualTo("invoice overdue");
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.out()).contains("active");
    assertThat(silo.admin("GET", "/admin/tenants/cli-suspend", null).json().getString("status")).isEqualTo("active");
  }

  @Test
  void tenantsDeleteRemovesTenant() {
    silo.provision("cli-delete");

    Run deleted = cli("tenants", "delete", "cli-delete");
    Run again = cli("tenants", "delete", "cli-delete", "--json");

    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).isEqualTo("Deleted tenant cli-delete\n");
    assertThat(silo.admin("GET", "/admin/tenants/cli-delete", null).status()).isEqualTo(404);
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void deleteJsonConfirms() {
    silo.provision("cli-delete-json");

    Run run = cli("tenants", "delete", "cli-delete-json", "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().getBoolean("deleted")).isTrue();
    assertThat(run.json().getString("id")).isEqualTo("cli-delete-json");
  }

  @Test
  void unknownTenantExitsNotFound() {
    Run run = cli("tenants", "get", "no-such-tenant");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("HTTP 404", "tenant_not_found");
  }

  @Test
  void duplicateTenantExitsConflict() {
    silo.provision("cli-twice");

    Run run = cli("tenants", "create", "cli-twice", "--plan", "pro");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFLICT_OR_INVALID);
    assertThat(run.err()).contains("HTTP 409", "conflict");
  }

  @Test
  void invalidTenantIdExitsInvalid() {
    Run run = cli("tenants", "create", "Bad_Id", "--plan", "pro");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFLICT_OR_INVALID);
    assertThat(run.err()).contains("HTTP 400", "invalid_tenant_id");
  }

  @Test
  void badTokenExitsAuth() {
    Run run = cliWith(Map.of(), "tenants", "list", "--url", url(), "--token", "silo_not_a_token");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.AUTH);
    assertThat(run.err()).contains("HTTP 401", "unauthorized");
  }

  @Test
  void tenantTokenExitsAuth() {
    silo.provision("cli-tenant-token");
    String tenantToken = silo.tenantToken("cli-tenant-token");

    Run run = cliWith(Map.of(), "tenants", "list", "--url", url(), "--token", tenantToken);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.AUTH);
    assertThat(run.err()).contains("HTTP 403", "forbidden");
  }

  @Test
  void missingTokenExitsAuth() {
    Map<String, String> environment = Map.of("SILO_DATA_DIR", dataDir.resolve("no-such-folder").toString());

    Run run = cliWith(environment, "tenants", "list", "--url", url());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.AUTH);
    assertThat(run.err()).contains("no token", "--token", "SILO_TOKEN");
  }

  @Test
  void serverDownExitsFailure() {
    int closedPort = JarProcess.freePort();

    Run run = cliWith(Map.of(), "tenants", "list", "--url", "http://127.0.0.1:" + closedPort,
      "--token", SiloTestServer.ADMIN_TOKEN);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("cannot connect to http://127.0.0.1:" + closedPort, "--url");
  }

  @Test
  void tokenAndUrlFromEnvironment() {
    silo.provision("cli-env");
    Map<String, String> environment = Map.of("SILO_URL", url(), "SILO_TOKEN", SiloTestServer.ADMIN_TOKEN);

    Run run = cliWith(environment, "tenants", "get", "cli-env");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("cli-env");
  }

  @Test
  void tokenFromDataFolderFile() throws IOException {
    silo.provision("cli-file");
    Path folder = Files.createDirectories(dataDir.resolve("token-folder"));
    Files.writeString(folder.resolve("admin.token"), SiloTestServer.ADMIN_TOKEN + "\n", StandardCharsets.UTF_8);

    Run run = cliWith(Map.of("SILO_DATA_DIR", folder.toString()), "tenants", "get", "cli-file", "--url", url());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("cli-file");
  }

  @Test
  void tokensCreateGivesWorkingToken() {
    silo.provision("cli-token");

    Run run = cli("tokens", "create", "cli-token", "--name", "web shop", "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().getString("tenant_id")).isEqualTo("cli-token");
    assertThat(run.json().getString("name")).isEqualTo("web shop");
    HttpResult products = silo.call("GET", "/api/products", run.json().getString("token"), null, null);
    assertThat(products.status()).as(products.toString()).isEqualTo(200);
  }

  @Test
  void tokensCreateTableShowsSecret() {
    silo.provision("cli-token-table");

    Run run = cli("tokens", "create", "cli-token-table");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("TENANT").contains("TOKEN");
    assertThat(lines.get(1)).startsWith("cli-token-table").contains("cli", "silo_");
  }

  @Test
  void tokensCreateForUnknownTenant() {
    Run run = cli("tokens", "create", "no-such-tenant");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).contains("tenant_not_found");
  }

  @Test
  void backupCreateAndList() {
    silo.provision("cli-backup");

    Run created = cli("backup", "create", "cli-backup", "--json");
    Run listed = cli("backup", "list", "cli-backup", "--json");
    Run table = cli("backup", "list", "cli-backup");

    assertThat(created.exitCode()).as(created.toString()).isZero();
    String backupId = created.json().getString("id");
    assertThat(backupId).startsWith("bak_");
    assertThat(created.json().getString("tenant_id")).isEqualTo("cli-backup");
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.json().getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(backupId);
    assertThat(table.out().lines().toList()).hasSize(2);
    assertThat(table.out().lines().toList().get(1)).startsWith(backupId).contains("cli-backup");
  }

  @Test
  void restoreReturnsBackupData() {
    silo.provision("cli-restore");
    String token = silo.tenantToken("cli-restore");
    JsonObject chai = new JsonObject().put("sku", "SKU-1").put("name", "Chai").put("unit_price_cents", 1800);
    assertThat(silo.call("POST", "/api/products", token, null, chai).status()).isEqualTo(201);
    String backupId = cli("backup", "create", "cli-restore", "--json").json().getString("id");
    JsonObject later = new JsonObject().put("sku", "SKU-2").put("name", "Chang").put("unit_price_cents", 1900);
    assertThat(silo.call("POST", "/api/products", token, null, later).status()).isEqualTo(201);

    Run restored = cli("restore", "cli-restore", backupId);

    assertThat(restored.exitCode()).as(restored.toString()).isZero();
    assertThat(restored.out()).contains("cli-restore", "active");
    HttpResult products = silo.call("GET", "/api/products", token, null, null);
    assertThat(products.items()).hasSize(1);
    assertThat(products.items().getJsonObject(0).getString("sku")).isEqualTo("SKU-1");
  }

  @Test
  void restoreErrorsExitByStatus() {
    silo.provision("cli-restore-bad");

    Run unknownBackup = cli("restore", "cli-restore-bad", "bak_20200101T000000000Z");
    Run malformed = cli("restore", "cli-restore-bad", "not-a-backup");
    Run unknownTenant = cli("backup", "create", "no-such-tenant");

    assertThat(unknownBackup.exitCode()).as(unknownBackup.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(ExitCodes.CONFLICT_OR_INVALID);
    assertThat(unknownTenant.exitCode()).as(unknownTenant.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknownTenant.err()).contains("tenant_not_found");
  }

  @Test
  void usageErrorsExitTwo() {
    List<List<String>> commandLines = List.of(List.of(), List.of("tenants"), List.of("tokens"),
      List.of("tenants", "create", "cli-usage"), List.of("tenants", "frobnicate"), List.of("tenants", "get"),
      List.of("migrate", "--interval", "soon"), List.of("backup"), List.of("restore", "cli-usage"));

    for (List<String> commandLine : commandLines) {
      Run run = cli(commandLine.toArray(String[]::new));

      assertThat(run.exitCode()).as("%s: %s", commandLine, run).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).as("%s", commandLine).isNotEmpty();
    }
  }

  @Test
  void groupAloneListsSubcommands() {
    Run run = cli("tenants");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("missing subcommand: one of create, delete, get, list, resume, suspend");
  }

  @Test
  void helpListsCommands() {
    Run run = cliWith(Map.of(), "--help");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("tenants", "tokens", "migrate", "backup", "restore", "--url", "--token", "--json",
      "Exit codes");
    assertThat(run.out()).doesNotContain("--version");
  }

  @Test
  void migrateWithNothingPending() {
    silo.provision("cli-migrate-none");

    Run run = cli("migrate", "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().getString("status")).isEqualTo("completed");
    assertThat(run.json().getInteger("failed")).isZero();
  }

  @Test
  void migrateShowsProgressUntilDone(@TempDir Path otherData, @TempDir Path migrations) throws IOException {
    List<String> ids = List.of("mig-alpha", "mig-bravo", "mig-charlie");
    try (SiloTestServer first = SiloTestServer.start(otherData)) {
      ids.forEach(first::provision);
    }
    Files.writeString(migrations.resolve("V2__add_note.sql"), "ALTER TABLE products ADD COLUMN note TEXT;\n");

    try (SiloTestServer second = SiloTestServer.start(otherData, options -> options
      .with(dev.silo.config.SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrations))) {
      Run run = cliWith(Map.of(), "migrate", "--interval", "20", "--url", "http://127.0.0.1:" + second.port(),
        "--token", SiloTestServer.ADMIN_TOKEN);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err().lines().toList()).last().asString().startsWith("[" + "#".repeat(30) + "]")
        .endsWith("3/3 tenants, 0 failed");
      List<String> lines = run.out().lines().toList();
      assertThat(lines.get(0)).startsWith("JOB").contains("STATUS", "MIGRATED", "FAILED");
      assertThat(lines.get(1)).contains("completed");
      for (String id : ids) {
        JsonObject tenant = second.admin("GET", "/admin/tenants/" + id, null).json();
        assertThat(tenant.getString("schema_version")).as(id).isEqualTo("2");
      }
    }
  }

  @Test
  void migrateFailureExitsOneWithList(@TempDir Path otherData, @TempDir Path migrations) throws IOException {
    try (SiloTestServer first = SiloTestServer.start(otherData)) {
      first.provision("mig-good");
      first.provision("mig-bad");
      String token = first.tenantToken("mig-bad");
      for (String sku : List.of("SKU-1", "SKU-2")) {
        JsonObject product = new JsonObject().put("sku", sku).put("name", "Chai").put("unit_price_cents", 1800);
        assertThat(first.call("POST", "/api/products", token, null, product).status()).isEqualTo(201);
      }
    }
    Files.writeString(migrations.resolve("V2__unique_names.sql"), "CREATE UNIQUE INDEX products_name ON products (name);\n");

    try (SiloTestServer second = SiloTestServer.start(otherData, options -> options
      .with(dev.silo.config.SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrations))) {
      Run run = cliWith(Map.of(), "migrate", "--interval", "20", "--url", "http://127.0.0.1:" + second.port(),
        "--token", SiloTestServer.ADMIN_TOKEN);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILURE);
      assertThat(run.out()).contains("failed");
      assertThat(run.out().lines().filter(line -> line.startsWith("mig-bad")).count()).isEqualTo(1);
      assertThat(run.err()).contains("2/2 tenants, 1 failed");
    }
  }

  @Test
  void migrateNoWaitReturnsJob() {
    Run run = cli("migrate", "--no-wait", "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().getString("id")).startsWith("job_");
    assertThat(run.err()).isEmpty();
    JsonArray failures = run.json().getJsonArray("failures");
    assertThat(failures).isEmpty();
  }

  private String url() {
    return "http://127.0.0.1:" + silo.port();
  }

  /** Runs a command line against the class's server with the admin token. */
  private Run cli(String... args) {
    List<String> withServer = new ArrayList<>(List.of(args));
    withServer.addAll(List.of("--url", url(), "--token", SiloTestServer.ADMIN_TOKEN));
    return cliWith(Map.of(), withServer.toArray(String[]::new));
  }

  private static Run cliWith(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SiloCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), new HashMap<>(environment));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
