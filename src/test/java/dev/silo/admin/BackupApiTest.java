package dev.silo.admin;

import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.silo.admin.BackupTesting.backup;
import static dev.silo.admin.BackupTesting.integrityCheck;
import static dev.silo.admin.BackupTesting.product;
import static dev.silo.admin.BackupTesting.queryLong;
import static dev.silo.admin.BackupTesting.restore;
import static org.assertj.core.api.Assertions.assertThat;

class BackupApiTest {

  private static final String ISO_UTC_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

  @TempDir
  Path dataDir;

  @TempDir
  Path scratch;

  private SiloTestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void backupIncludesCommitsStillInWal() throws Exception {
    start(UnaryOperator.identity());
    server.provision("acme");
    String token = server.tenantToken("acme");
    product(server, token, "WAL-1", 5);
    product(server, token, "WAL-2", 7);
    Path tenantFile = dataDir.resolve("tenants").resolve("acme.db");
    assertThat(Files.size(tenantFile.resolveSibling("acme.db-wal"))).as("size of acme.db-wal").isPositive();
    Path mainFileOnly = scratch.resolve("main-file-only.db");
    Files.copy(tenantFile, mainFileOnly);
    assertThat(queryLong(mainFileOnly, "SELECT count(*) FROM products")).as("products outside the WAL").isZero();

    JsonObject backup = backup(server, "acme");

    String id = backup.getString("id");
    Path file = dataDir.resolve("backups").resolve("acme").resolve(id + ".db");
    assertThat(id).matches("bak_\\d{8}T\\d{9}Z");
    assertThat(backup.getString("tenant_id")).isEqualTo("acme");
    assertThat(backup.getString("created_at")).matches(ISO_UTC_SECONDS);
    assertThat(backup.getLong("size_bytes")).isEqualTo(Files.size(file));
    assertThat(integrityCheck(file)).containsExactly("ok");
    assertThat(queryLong(file, "SELECT count(*) FROM products")).isEqualTo(2);
    assertThat(fileNames(file.getParent())).containsExactly(id + ".db");
  }

  @Test
  void backupDuringWritesIsConsistent() throws Exception {
    start(UnaryOperator.identity());
    server.provision("acme");
    String token = server.tenantToken("acme");
    long stockedProduct = product(server, token, "STOCK", OrderWriter.INITIAL_STOCK);
    HttpResult customer = server.call("POST", "/api/customers", token, null,
      new JsonObject().put("id", "ALFKI").put("company_name", "Alfreds Futterkiste"));
    assertThat(customer.status()).as(customer.toString()).isEqualTo(201);
    OrderWriter writer = new OrderWriter(server, token, stockedProduct);
    Thread writing = new Thread(writer, "order-writer");
    writing.start();
    long committedBefore;
    JsonObject backup;
    try {
      assertThat(writer.firstOrders.await(60, TimeUnit.SECONDS)).as("first orders committed").isTrue();
      committedBefore = writer.committed.get();

      backup = backup(server, "acme");
    } finally {
      writer.running.set(false);
      writing.join(TimeUnit.SECONDS.toMillis(60));
    }

    assertThat(writer.failures).as("order requests that failed").isEmpty();
    Path file = dataDir.resolve("backups").resolve("acme").resolve(backup.getString("id") + ".db");
    assertThat(integrityCheck(file)).containsExactly("ok");
    long orders = queryLong(file, "SELECT count(*) FROM orders");
    assertThat(orders).as("orders in the backup").isBetween(committedBefore, writer.committed.get());
    assertThat(queryLong(file, "SELECT count(*) FROM order_lines")).as("order lines").isEqualTo(orders);
    long stock = queryLong(file, "SELECT units_in_stock FROM products WHERE id = " + stockedProduct);
    assertThat(stock).as("stock left in the backup").isEqualTo(OrderWriter.INITIAL_STOCK - orders);
  }

  @Test
  void listShowsNewestWithinRetention() {
    start(options -> options.with(SiloOptions.BACKUP_RETENTION, 2));
    server.provision("acme");
    String first = backup(server, "acme").getString("id");
    String second = backup(server, "acme").getString("id");
    String third = backup(server, "acme").getString("id");

    HttpResult list = server.admin("GET", "/admin/tenants/acme/backups", null);

    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(List.of(first, second, third)).doesNotHaveDuplicates().isSorted();
    assertThat(ids(list.items())).containsExactly(third, second);
    assertThat(list.json().getValue("next")).isNull();
    Path directory = dataDir.resolve("backups").resolve("acme");
    assertThat(directory.resolve(first + ".db")).doesNotExist();
    assertThat(directory.resolve(second + ".db")).exists();
    assertThat(directory.resolve(third + ".db")).exists();
  }

  @Test
  void listPagesWithLimitAndAfter() {
    start(UnaryOperator.identity());
    server.provision("acme");
    String first = backup(server, "acme").getString("id");
    String second = backup(server, "acme").getString("id");
    String third = backup(server, "acme").getString("id");

    HttpResult firstPage = server.admin("GET", "/admin/tenants/acme/backups?limit=2", null);
    HttpResult secondPage = server.admin("GET", "/admin/tenants/acme/backups?limit=2&after=" + second, null);
    HttpResult badCursor = server.admin("GET", "/admin/tenants/acme/backups?after=yesterday", null);

    assertThat(firstPage.status()).as(firstPage.toString()).isEqualTo(200);
    assertThat(ids(firstPage.items())).containsExactly(third, second);
    assertThat(firstPage.json().getString("next")).isEqualTo(second);
    assertThat(secondPage.status()).as(secondPage.toString()).isEqualTo(200);
    assertThat(ids(secondPage.items())).containsExactly(first);
    assertThat(secondPage.json().getValue("next")).isNull();
    assertThat(badCursor.status()).as(badCursor.toString()).isEqualTo(400);
    assertThat(badCursor.errorCode()).isEqualTo("invalid_request");
  }

  @Test
  void interruptedBackupFileIsIgnoredThenRemoved() throws IOException {
    start(UnaryOperator.identity());
    server.provision("acme");
    Path directory = Files.createDirectories(dataDir.resolve("backups").resolve("acme"));
    Path leftover = Files.writeString(directory.resolve("bak_20260101T000000000Z.db.tmp"), "half a backup");

    HttpResult before = server.admin("GET", "/admin/tenants/acme/backups", null);
    String id = backup(server, "acme").getString("id");
    HttpResult after = server.admin("GET", "/admin/tenants/acme/backups", null);

    assertThat(before.status()).as(before.toString()).isEqualTo(200);
    assertThat(before.items()).isEmpty();
    assertThat(leftover).doesNotExist();
    assertThat(ids(after.items())).containsExactly(id);
  }

  @Test
  void supportListsButCannotBackUpOrRestore() throws IOException {
    start(UnaryOperator.identity());
    server.provision("acme");
    String id = backup(server, "acme").getString("id");
    HttpResult user = server.admin("POST", "/admin/users", new JsonObject().put("name", "Sam").put("role", "support"));
    assertThat(user.status()).as(user.toString()).isEqualTo(201);
    String support = user.json().getString("token");

    HttpResult created = server.call("POST", "/admin/tenants/acme/backups", support, null, null);
    HttpResult restored = server.call("POST", "/admin/tenants/acme/restore", support, null,
      new JsonObject().put("backup_id", id));
    HttpResult listed = server.call("GET", "/admin/tenants/acme/backups", support, null, null);

    assertThat(created.status()).as(created.toString()).isEqualTo(403);
    assertThat(created.errorCode()).isEqualTo("forbidden");
    assertThat(restored.status()).as(restored.toString()).isEqualTo(403);
    assertThat(restored.errorCode()).isEqualTo("forbidden");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(ids(listed.items())).containsExactly(id);
    assertThat(fileNames(dataDir.resolve("backups").resolve("acme"))).containsExactly(id + ".db");
  }

  @Test
  void unknownTenantIsNotFound() {
    start(UnaryOperator.identity());

    HttpResult created = server.admin("POST", "/admin/tenants/nobody/backups", null);
    HttpResult listed = server.admin("GET", "/admin/tenants/nobody/backups", null);
    HttpResult restored = restore(server, "nobody", "bak_20260101T000000000Z");
    HttpResult invalid = server.admin("POST", "/admin/tenants/No_Body/backups", null);

    assertThat(created.status()).as(created.toString()).isEqualTo(404);
    assertThat(created.errorCode()).isEqualTo("tenant_not_found");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(404);
    assertThat(listed.errorCode()).isEqualTo("tenant_not_found");
    assertThat(restored.status()).as(restored.toString()).isEqualTo(404);
    assertThat(restored.errorCode()).isEqualTo("tenant_not_found");
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    assertThat(invalid.errorCode()).isEqualTo("invalid_tenant_id");
    assertThat(dataDir.resolve("backups").resolve("nobody")).doesNotExist();
  }

  private void start(UnaryOperator<SiloOptions> customize) {
    server = SiloTestServer.start(dataDir, customize);
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static List<String> fileNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(file -> file.getFileName().toString()).toList();
    }
  }

  /**
   * Creates orders of one unit of one product, one after another, until stopped. Every
   * committed order takes one unit from stock, so a consistent snapshot has as many
   * units missing from stock as it has orders.
   */
  private static final class OrderWriter implements Runnable {

    static final long INITIAL_STOCK = 1_000_000;
    private static final int FIRST_ORDERS = 20;

    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong committed = new AtomicLong();
    final CountDownLatch firstOrders = new CountDownLatch(FIRST_ORDERS);
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final SiloTestServer server;
    private final String token;
    private final long productId;

    OrderWriter(SiloTestServer server, String token, long productId) {
      this.server = server;
      this.token = token;
      this.productId = productId;
    }

    @Override
    public void run() {
      JsonObject order = new JsonObject().put("customer_id", "ALFKI")
        .put("lines", new JsonArray().add(new JsonObject().put("product_id", productId).put("quantity", 1)));
      while (running.get()) {
        HttpResult result = server.call("POST", "/api/orders", token, null, order);
        if (result.status() != 201) {
          failures.add(result.toString());
          // Lets the test stop waiting and report the failure.
          while (firstOrders.getCount() > 0) {
            firstOrders.countDown();
          }
          return;
        }
        committed.incrementAndGet();
        firstOrders.countDown();
      }
    }
  }
}
