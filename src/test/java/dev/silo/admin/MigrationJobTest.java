package dev.silo.admin;

import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationJobTest {

  private static final String ADD_NOTE = "ALTER TABLE products ADD COLUMN note TEXT;\n";
  private static final String UNIQUE_NAMES = "CREATE UNIQUE INDEX products_name ON products (name);\n";

  @TempDir
  Path dataDir;

  @TempDir
  Path migrationsDir;

  private SiloTestServer server;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<JsonObject>> finishedJobs = new ConcurrentHashMap<>();

  @AfterEach
  void stopServer() {
    stop();
  }

  @Test
  void jobWithNothingPendingSkipsEveryTenant() {
    start(UnaryOperator.identity());
    server.provision("alpha");
    server.provision("bravo");

    HttpResult started = server.admin("POST", "/admin/migrations", null);

    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    JsonObject job = started.json();
    assertCounts(job, "completed", 2, 2, 2, 0);
    assertThat(job.getString("target_version")).isEqualTo("1");
    assertThat(job.getJsonArray("failures")).isEmpty();
    assertThat(awaitFinished(job.getString("id")).getString("status")).isEqualTo("completed");
  }

  @Test
  void jobMigratesActiveAndSuspendedTenants() throws Exception {
    start(UnaryOperator.identity());
    for (String id : List.of("alpha", "bravo", "charlie")) {
      server.provision(id);
    }
    server.admin("POST", "/admin/tenants/charlie/suspend", new JsonObject().put("reason", "unpaid"));
    restartWithMigration("V2__add_note.sql", ADD_NOTE, 2);

    HttpResult started = server.admin("POST", "/admin/migrations", null);

    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    assertThat(started.json().getString("status")).isEqualTo("running");
    assertThat(started.json().getString("target_version")).isEqualTo("2");
    String jobId = started.json().getString("id");
    assertThat(awaitFinished(jobId).getString("status")).isEqualTo("completed");
    JsonObject job = getJob(jobId);
    assertCounts(job, "completed", 3, 3, 0, 0);
    assertThat(job.getString("finished_at")).isNotNull();
    for (String id : List.of("alpha", "bravo", "charlie")) {
      assertThat(tenant(id).getString("schema_version")).as(id).isEqualTo("2");
    }
    assertThat(tenant("charlie").getString("status")).isEqualTo("suspended");

    stop();
    for (String id : List.of("alpha", "bravo", "charlie")) {
      assertThat(productColumns(id)).as(id).contains("note");
    }
  }

  @Test
  void failingTenantIsReportedAndOthersMigrate() throws Exception {
    start(UnaryOperator.identity());
    for (String id : List.of("alpha", "bravo", "charlie")) {
      server.provision(id);
    }
    stop();
    execute("bravo", "INSERT INTO products (sku, name, unit_price_cents, units_in_stock) VALUES "
      + "('SKU-1', 'Chai', 1800, 39), ('SKU-2', 'Chai', 1900, 17)");
    restartWithMigration("V2__unique_product_names.sql", UNIQUE_NAMES, 1);

    String firstJob = server.admin("POST", "/admin/migrations", null).json().getString("id");

    assertThat(awaitFinished(firstJob).getString("status")).isEqualTo("failed");
    JsonObject job = getJob(firstJob);
    assertCounts(job, "failed", 3, 2, 0, 1);
    assertThat(job.getJsonArray("failures")).hasSize(1);
    JsonObject failure = job.getJsonArray("failures").getJsonObject(0);
    assertThat(failure.getString("tenant_id")).isEqualTo("bravo");
    assertThat(failure.getString("error")).startsWith("migration to schema version 2 failed");
    assertThat(failure.getString("error")).contains("SQLITE_CONSTRAINT_UNIQUE");
    assertThat(failure.getString("error")).doesNotContain("CREATE", "products_name", dataDir.toString());
    assertThat(tenant("alpha").getString("schema_version")).isEqualTo("2");
    assertThat(tenant("bravo").getString("schema_version")).isEqualTo("1");
    assertThat(tenant("charlie").getString("schema_version")).isEqualTo("2");

    stop();
    execute("bravo", "DELETE FROM products WHERE sku = 'SKU-2'");
    restartWithMigration("V2__unique_product_names.sql", UNIQUE_NAMES, 1);
    String secondJob = server.admin("POST", "/admin/migrations", null).json().getString("id");

    assertThat(awaitFinished(secondJob).getString("status")).isEqualTo("completed");
    assertCounts(getJob(secondJob), "completed", 3, 3, 2, 0);
    assertThat(tenant("bravo").getString("schema_version")).isEqualTo("2");
  }

  @Test
  void startDuringJobReturnsRunningJob() throws Exception {
    start(UnaryOperator.identity());
    server.provision("alpha");
    server.provision("bravo");
    restartWithMigration("V2__add_note.sql", ADD_NOTE, 1);

    // Both requests reach the admin verticle before the first tenant's migration ends,
    // because that migration waits for a pool close round trip queued after them.
    Future<Message<JsonObject>> first = sendAdmin(Actions.MIGRATIONS_START, new JsonObject());
    Future<Message<JsonObject>> second = sendAdmin(Actions.MIGRATIONS_START, new JsonObject());

    JsonObject firstJob = SiloTestServer.await(first).body();
    JsonObject secondJob = SiloTestServer.await(second).body();
    assertThat(secondJob.getString("id")).isEqualTo(firstJob.getString("id"));
    assertThat(secondJob.getString("status")).isEqualTo("running");
    assertThat(awaitFinished(firstJob.getString("id")).getString("status")).isEqualTo("completed");
    assertThat(getJob(firstJob.getString("id")).getInteger("migrated")).isEqualTo(2);
  }

  @Test
  void adminChangesRunBetweenTenants() throws Exception {
    start(UnaryOperator.identity());
    for (String id : List.of("alpha", "bravo", "charlie")) {
      server.provision(id);
    }
    restartWithMigration("V2__add_note.sql", ADD_NOTE, 1);

    Future<Message<JsonObject>> job = sendAdmin(Actions.MIGRATIONS_START, new JsonObject());
    Future<Message<JsonObject>> provision = sendAdmin(Actions.TENANTS_PROVISION,
      new JsonObject().put("id", "delta").put("name", "Delta").put("plan", "standard"));

    String jobId = SiloTestServer.await(job).body().getString("id");
    assertThat(SiloTestServer.await(provision).body().getString("status")).isEqualTo("active");
    awaitFinished(jobId);
    List<String> order = new ArrayList<>();
    for (JsonObject event : events) {
      order.add(event.getString("type") + " " + event.getString("tenant_id", event.getString("job_id")));
    }
    assertThat(order).containsSubsequence("tenant.provisioned delta", "tenant.migrated charlie",
      "migration_job.finished " + jobId);
    assertThat(getJob(jobId).getInteger("total")).isEqualTo(3);
  }

  @Test
  void tenantBehindMigratesBeforeServing() throws Exception {
    start(UnaryOperator.identity());
    server.provision("alpha");
    String token = server.tenantToken("alpha");
    restartWithMigration("V2__add_note.sql", ADD_NOTE, 1);
    assertThat(tenant("alpha").getString("schema_version")).isEqualTo("1");

    HttpResult flags = server.call("GET", "/api/flags", token, null, null);

    assertThat(flags.status()).as(flags.toString()).isEqualTo(200);
    assertThat(tenant("alpha").getString("schema_version")).isEqualTo("2");
    stop();
    assertThat(productColumns("alpha")).contains("note");
  }

  @Test
  void migrateOnOpenOffAnswers503() throws Exception {
    start(UnaryOperator.identity());
    server.provision("alpha");
    String token = server.tenantToken("alpha");
    stop();
    Files.writeString(migrationsDir.resolve("V2__add_note.sql"), ADD_NOTE);
    start(options -> options
      .with(SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrationsDir)
      .with(SiloOptions.TENANT_MIGRATE_ON_OPEN, false));

    HttpResult behind = server.call("GET", "/api/products", token, null, null);

    assertThat(behind.status()).isEqualTo(503);
    assertThat(behind.json().getJsonObject("error").getString("message")).contains("tenant_migrate_on_open");
    assertThat(tenant("alpha").getString("schema_version")).isEqualTo("1");
    String jobId = server.admin("POST", "/admin/migrations", null).json().getString("id");
    awaitFinished(jobId);
    assertCounts(getJob(jobId), "completed", 1, 1, 0, 0);
    assertThat(server.call("GET", "/api/products", token, null, null).status()).isEqualTo(200);
  }

  @Test
  void interruptedJobResumesAtNextStart() throws Exception {
    start(UnaryOperator.identity());
    server.provision("alpha");
    server.provision("bravo");
    restartWithMigration("V2__add_note.sql", ADD_NOTE, 1);
    stop();
    // A job as a crash leaves it: running, with both tenants still pending.
    insertRunningJob("job_interrupted", "2", Map.of("alpha", "pending", "bravo", "pending"));

    start(options -> options
      .with(SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrationsDir));

    JsonObject resumed = awaitNotRunning("job_interrupted");
    assertCounts(resumed, "completed", 2, 2, 0, 0);
    assertThat(tenant("alpha").getString("schema_version")).isEqualTo("2");
    assertThat(tenant("bravo").getString("schema_version")).isEqualTo("2");
    stop();
    assertThat(productColumns("bravo")).contains("note");
  }

  @Test
  void interruptedJobForOtherTargetFails() throws Exception {
    start(UnaryOperator.identity());
    server.provision("alpha");
    stop();
    insertRunningJob("job_interrupted", "7", Map.of("alpha", "pending"));

    start(UnaryOperator.identity());

    JsonObject interrupted = awaitNotRunning("job_interrupted");
    assertThat(interrupted.getString("status")).isEqualTo("failed");
    assertThat(interrupted.getString("finished_at")).isNotNull();
    assertThat(interrupted.getJsonArray("failures").getJsonObject(0).getString("tenant_id")).isEqualTo("alpha");
    assertThat(interrupted.getJsonArray("failures").getJsonObject(0).getString("error"))
      .isEqualTo(MigrationJobRunner.TARGET_CHANGED_ERROR);
    HttpResult next = server.admin("POST", "/admin/migrations", null);
    assertThat(next.status()).as(next.toString()).isEqualTo(202);
    assertThat(next.json().getString("id")).isNotEqualTo("job_interrupted");
    assertThat(next.json().getString("status")).isEqualTo("completed");
  }

  /** Writes a running job into the system database of a stopped server. */
  private void insertRunningJob(String jobId, String targetVersion, Map<String, String> tenants) throws SQLException {
    try (Connection system = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("system.db"));
         Statement statement = system.createStatement()) {
      statement.executeUpdate("INSERT INTO migration_jobs (id, status, target_version, total, created_at) "
        + "VALUES ('" + jobId + "', 'running', '" + targetVersion + "', " + tenants.size() + ", '2026-01-01T00:00:00Z')");
      for (Map.Entry<String, String> tenant : tenants.entrySet()) {
        statement.executeUpdate("INSERT INTO migration_job_tenants (job_id, tenant_id, status) "
          + "VALUES ('" + jobId + "', '" + tenant.getKey() + "', '" + tenant.getValue() + "')");
      }
    }
  }

  /**
   * Polls a job until it is no longer running. A resumed job starts as the server starts,
   * possibly before a test could subscribe to its finished event.
   */
  private JsonObject awaitNotRunning(String jobId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject job = getJob(jobId);
    while ("running".equals(job.getString("status")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      job = getJob(jobId);
    }
    return job;
  }

  @Test
  void unknownJobIsNotFound() {
    start(UnaryOperator.identity());

    HttpResult result = server.admin("GET", "/admin/migrations/job_unknown", null);

    assertThat(result.status()).as(result.toString()).isEqualTo(404);
    assertThat(result.errorCode()).isEqualTo("not_found");
  }

  /** Starts the server and records the events it publishes on silo.events. */
  private void start(UnaryOperator<SiloOptions> customize) {
    server = SiloTestServer.start(dataDir, customize);
    SiloTestServer.await(server.vertx().eventBus().<JsonObject>consumer(Addresses.EVENTS, message -> {
      JsonObject event = message.body();
      events.add(event);
      if (MigrationJobRunner.FINISHED_EVENT.equals(event.getString("type"))) {
        finishedJobs.computeIfAbsent(event.getString("job_id"), id -> new CompletableFuture<>()).complete(event);
      }
    }).completion());
  }

  /** Stops the server if it runs, so the tests may open tenant files directly. */
  private void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Stops a running server, writes one tenant migration into a folder and starts with that folder added. */
  private void restartWithMigration(String fileName, String sql, int parallelism) throws IOException {
    stop();
    Files.writeString(migrationsDir.resolve(fileName), sql);
    start(options -> options
      .with(SiloOptions.TENANT_MIGRATIONS, "classpath:db/tenant,filesystem:" + migrationsDir)
      .with(SiloOptions.MIGRATION_PARALLELISM, parallelism));
  }

  private Future<Message<JsonObject>> sendAdmin(String action, JsonObject body) {
    return server.vertx().eventBus().request(Addresses.ADMIN, body,
      new DeliveryOptions().addHeader(MessageHeaders.ACTION, action));
  }

  private JsonObject awaitFinished(String jobId) {
    try {
      return finishedJobs.computeIfAbsent(jobId, id -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("migration job " + jobId + " did not finish: " + e, e);
    }
  }

  private static void assertCounts(JsonObject job, String status, int total, int migrated, int skipped, int failed) {
    assertThat(job.getString("status")).as("status of %s", job).isEqualTo(status);
    assertThat(job.getInteger("total")).as("total of %s", job).isEqualTo(total);
    assertThat(job.getInteger("migrated")).as("migrated of %s", job).isEqualTo(migrated);
    assertThat(job.getInteger("skipped")).as("skipped of %s", job).isEqualTo(skipped);
    assertThat(job.getInteger("failed")).as("failed of %s", job).isEqualTo(failed);
  }

  private JsonObject getJob(String jobId) {
    HttpResult result = server.admin("GET", "/admin/migrations/" + jobId, null);
    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    return result.json();
  }

  private JsonObject tenant(String id) {
    HttpResult result = server.admin("GET", "/admin/tenants/" + id, null);
    assertThat(result.status()).as(result.toString()).isEqualTo(200);
    return result.json();
  }

  private Connection openTenantFile(String id) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tenants").resolve(id + ".db"));
  }

  private void execute(String tenantId, String sql) throws SQLException {
    try (Connection connection = openTenantFile(tenantId); Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  private List<String> productColumns(String tenantId) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Connection connection = openTenantFile(tenantId); Statement statement = connection.createStatement();
         var rows = statement.executeQuery("PRAGMA table_info(products)")) {
      while (rows.next()) {
        columns.add(rows.getString("name"));
      }
    }
    return columns;
  }
}
