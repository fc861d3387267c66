package dev.silo.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.silo.admin.TenantReconciler.Report;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.system.TenantStatus;
import dev.silo.tenant.OrphanFiles;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantFiles;
import dev.silo.tenant.TenantMigrator;
import dev.silo.tenant.TenantTemplate;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import dev.silo.testing.SqliteFiles;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

class TenantReconcilerTest {

  private static final SqliteSettings SETTINGS = new SqliteSettings("NORMAL", 5000);

  @TempDir
  Path dataDir;

  private final TenantMigrator migrator = new TenantMigrator(SETTINGS, List.of("classpath:db/tenant"));
  private final ListAppender<ILoggingEvent> orphanLog = new ListAppender<>();
  private Vertx vertx;
  private SystemDatabase database;
  private TenantFiles files;
  private TenantTemplate template;

  @BeforeEach
  void openSystemDatabase() {
    vertx = SiloTestServer.newVertx();
    database = await(vertx.executeBlocking(() -> SystemDatabase.open(vertx, dataDir, SETTINGS, 2)));
    files = new TenantFiles(dataDir);
    template = TenantTemplate.prepare(dataDir, migrator);
    orphanLog.start();
    ((Logger) LoggerFactory.getLogger(OrphanFiles.class)).addAppender(orphanLog);
  }

  @AfterEach
  void closeSystemDatabase() {
    ((Logger) LoggerFactory.getLogger(OrphanFiles.class)).detachAppender(orphanLog);
    if (database != null) {
      await(database.close(vertx));
    }
    await(vertx.close());
  }

  @Test
  void provisioningRowWithoutFileIsRemoved() throws Exception {
    register("acme", TenantStatus.PROVISIONING);

    Report report = reconcile();

    assertThat(report.removed()).containsExactly("acme");
    assertThat(report.movedAside()).isEmpty();
    assertThat(find("acme")).isEmpty();
  }

  @Test
  void provisioningRowWithPartialTemporaryFileIsRemoved() throws Exception {
    register("acme", TenantStatus.PROVISIONING);
    byte[] whole = Files.readAllBytes(template.file().orElseThrow());
    byte[] partial = Arrays.copyOf(whole, whole.length / 3);
    Files.createDirectories(files.tenantsDir());
    Files.write(files.temporary("acme"), partial);

    Report report = reconcile();

    assertThat(report.removed()).containsExactly("acme");
    assertThat(find("acme")).isEmpty();
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).isEmpty();
    assertThat(report.movedAside()).hasSize(1);
    Path moved = report.movedAside().get(0);
    assertThat(moved.getParent()).isEqualTo(dataDir.resolve("orphans"));
    assertThat(moved.getFileName().toString()).matches("acme\\.\\d+\\.db\\.tmp");
    assertThat(Files.readAllBytes(moved)).isEqualTo(partial);
    assertThat(loggedMoves()).anyMatch(line -> line.contains("tenant acme"));
  }

  @Test
  void provisioningRowWithCompleteFileIsFinished() throws Exception {
    register("acme", TenantStatus.PROVISIONING);
    template.createDatabase(files.temporary("acme"), files.database("acme"));

    Report report = reconcile();

    assertThat(report.finished()).containsExactly("acme");
    assertThat(report.movedAside()).isEmpty();
    TenantRecord tenant = find("acme").orElseThrow();
    assertThat(tenant.status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(tenant.schemaVersion()).isEqualTo("1");
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).containsExactly("acme.db");
  }

  @Test
  void provisioningRowWithDamagedFileIsRemoved() throws Exception {
    register("acme", TenantStatus.PROVISIONING);
    Files.createDirectories(files.tenantsDir());
    Files.write(files.database("acme"), new byte[8192]);

    Report report = reconcile();

    assertThat(report.removed()).containsExactly("acme");
    assertThat(find("acme")).isEmpty();
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).isEmpty();
    assertThat(SqliteFiles.fileNames(dataDir.resolve("orphans"))).singleElement().asString()
      .matches("acme\\.\\d+\\.db");
  }

  @Test
  void fileWithoutRowIsMovedAside() throws Exception {
    template.createDatabase(files.temporary("ghost"), files.database("ghost"));
    Files.write(dataDir.resolve("tenants/ghost.db-wal"), new byte[]{1, 2, 3});

    Report report = reconcile();

    assertThat(SqliteFiles.fileNames(files.tenantsDir())).isEmpty();
    List<String> moved = SqliteFiles.fileNames(dataDir.resolve("orphans"));
    assertThat(moved).hasSize(2);
    String stamp = moved.get(0).split("\\.")[1];
    assertThat(moved).containsExactly("ghost." + stamp + ".db", "ghost." + stamp + ".db-wal");
    assertThat(report.movedAside()).hasSize(2);
    assertThat(loggedMoves()).hasSize(2).allMatch(line -> line.contains("tenant ghost"));
  }

  @Test
  void registeredTenantKeepsOnlyDatabaseFiles() throws Exception {
    register("acme", TenantStatus.ACTIVE);
    register("idle", TenantStatus.SUSPENDED);
    template.createDatabase(files.temporary("acme"), files.database("acme"));
    template.createDatabase(files.temporary("idle"), files.database("idle"));
    Files.write(dataDir.resolve("tenants/acme.db-wal"), new byte[]{1});
    Files.write(dataDir.resolve("tenants/acme.db-shm"), new byte[]{1});
    Files.write(files.temporary("acme"), new byte[]{1});
    Files.write(files.restoreStaging("idle"), new byte[]{1});

    Report report = reconcile();

    assertThat(SqliteFiles.fileNames(files.tenantsDir()))
      .containsExactly("acme.db", "acme.db-shm", "acme.db-wal", "idle.db");
    List<String> orphans = SqliteFiles.fileNames(dataDir.resolve("orphans"));
    assertThat(orphans).hasSize(2);
    assertThat(orphans).anyMatch(name -> name.matches("acme\\.\\d+\\.db\\.tmp"));
    assertThat(orphans).anyMatch(name -> name.matches("idle\\.\\d+\\.db\\.restore"));
    assertThat(report.finished()).isEmpty();
    assertThat(report.removed()).isEmpty();
  }

  @Test
  void unknownFileNameIsMovedAside() throws Exception {
    Files.createDirectories(files.tenantsDir());
    Files.writeString(files.tenantsDir().resolve("notes.txt"), "kept");

    reconcile();

    assertThat(SqliteFiles.fileNames(files.tenantsDir())).isEmpty();
    List<String> moved = SqliteFiles.fileNames(dataDir.resolve("orphans"));
    assertThat(moved).singleElement().asString().matches("notes\\.txt\\.\\d+");
    assertThat(Files.readString(dataDir.resolve("orphans").resolve(moved.get(0)))).isEqualTo("kept");
  }

  @Test
  void serverStartReconciles() throws Exception {
    register("done", TenantStatus.PROVISIONING);
    template.createDatabase(files.temporary("done"), files.database("done"));
    register("half", TenantStatus.PROVISIONING);
    Files.write(files.temporary("half"), new byte[100]);
    template.createDatabase(files.temporary("ghost"), files.database("ghost"));
    await(database.close(vertx));
    database = null;

    try (SiloTestServer silo = SiloTestServer.start(dataDir)) {
      HttpResult tenants = silo.admin("GET", "/admin/tenants", null);
      HttpResult products = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, "done", null);

      assertThat(tenants.items()).singleElement()
        .satisfies(tenant -> assertThat(tenant.toString()).contains("\"id\":\"done\"", "\"status\":\"active\""));
      assertThat(products.status()).as(products.toString()).isEqualTo(200);
    }
    assertThat(SqliteFiles.fileNames(files.tenantsDir())).allMatch(name -> name.startsWith("done.db"));
    assertThat(SqliteFiles.fileNames(dataDir.resolve("orphans"))).hasSize(2)
      .anyMatch(name -> name.matches("half\\.\\d+\\.db\\.tmp"))
      .anyMatch(name -> name.matches("ghost\\.\\d+\\.db"));
  }

  private Report reconcile() throws Exception {
    return new TenantReconciler(database, dataDir, migrator).run();
  }

  private void register(String id, TenantStatus status) throws Exception {
    String at = "2026-01-01T00:00:00Z";
    String version = status == TenantStatus.PROVISIONING ? "0" : "1";
    database.withConnection(c -> {
      TenantRegistry.insert(c, new TenantRecord(id, "Tenant " + id, "standard", status, null, version, at, at));
      return null;
    });
  }

  private Optional<TenantRecord> find(String id) throws Exception {
    return database.withConnection(c -> TenantRegistry.find(c, id));
  }

  private List<String> loggedMoves() {
    return orphanLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
