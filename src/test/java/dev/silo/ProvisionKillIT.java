package dev.silo;

import dev.silo.testing.HttpResult;
import dev.silo.testing.JarProcess;
import dev.silo.testing.StartedJars;
import dev.silo.testing.SqliteFiles;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the fat jar with SIGKILL while clients provision tenants over HTTP, and restarts it
 * on the same data folder. Then every listed tenant must be active and serve data, every
 * file in {@code tenants/} must belong to one, and every tenant whose provisioning
 * returned 201 must be listed.
 * <p>
 * The kill delays come from a seeded {@link Random}. The test prints the seed, and
 * {@code -Dsilo.kill.seed=N} repeats the delays, though what each kill interrupts still
 * depends on timing.
 */
class ProvisionKillIT {

  private static final String ADMIN_TOKEN = "silo_provision_kill_it_admin_token";
  private static final int ROUNDS = 4;
  private static final int MAX_KILL_DELAY_MS = 400;
  /**
   * Clients provisioning at once. The admin verticle provisions one tenant at a time, so
   * with two clients it has a provisioning running or queued at most moments of the loop.
   */
  private static final int CLIENTS = 2;
  /** Upper bound of one round's provisioning loop, which normally ends at the kill. */
  private static final int MAX_PROVISIONS_PER_ROUND = 5_000;
  /** SIGKILL ends a process with 128 + 9. */
  private static final int EXIT_AFTER_SIGKILL = 137;
  private static final Pattern TENANT_FILE = Pattern.compile("([a-z][a-z0-9-]*)\\.db(-wal|-shm|-journal)?");

  @TempDir
  Path workDir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final HttpClient loopHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @RegisterExtension
  final StartedJars started = new StartedJars();

  @Test
  void killedProvisioningRecoversOnRestart() throws Exception {
    long seed = Long.getLong("silo.kill.seed", System.nanoTime());
    System.out.printf("ProvisionKillIT seed %d (repeat with -Dsilo.kill.seed=%d)%n", seed, seed);
    Random random = new Random(seed);
    Path dataDir = workDir.resolve("silo-data");
    Set<String> confirmed = new ConcurrentSkipListSet<>();

    JarProcess jar = startJar(dataDir);
    for (int round = 1; round <= ROUNDS; round++) {
      int killDelayMs = random.nextInt(MAX_KILL_DELAY_MS + 1);
      // A freshly started JVM provisions its first tenant slowly. Without this warm-up an
      // early kill often lands before any provisioning has started.
      String warmUp = "kill-r" + round + "-warm-up";
      HttpResult warmUpResult = jar.call("POST", "/admin/tenants", ADMIN_TOKEN,
        new JsonObject().put("id", warmUp).put("name", "Warm-up").put("plan", "standard"));
      assertThat(warmUpResult.status()).as("provision %s: %s", warmUp, warmUpResult).isEqualTo(201);
      confirmed.add(warmUp);
      List<ProvisionLoop> loops = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        ProvisionLoop loop = new ProvisionLoop(jar.port(), "kill-r" + round + "-c" + client + "-", confirmed);
        loops.add(loop);
        threads.add(new Thread(loop, "provision-loop-" + round + "-" + client));
      }
      threads.forEach(Thread::start);
      for (ProvisionLoop loop : loops) {
        assertThat(loop.running.await(30, TimeUnit.SECONDS)).as("provisioning loop started").isTrue();
      }
      // The delay picks the moment of the kill; it does not wait for anything.
      Thread.sleep(killDelayMs);

      assertThat(jar.kill()).as("exit code after SIGKILL").isEqualTo(EXIT_AFTER_SIGKILL);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(thread.isAlive()).as("%s ended after the kill", thread.getName()).isFalse();
      }
      int roundConfirmed = loops.stream().mapToInt(loop -> loop.confirmedCount).sum();
      System.out.printf("round %d: killed %d ms after the loops started, %d provisions returned 201%n",
        round, killDelayMs, roundConfirmed);
      for (ProvisionLoop loop : loops) {
        assertThat(loop.unexpected).as("replies other than 201 before the kill").isEmpty();
      }

      jar = startJar(dataDir);
      jar.output().lines().filter(line -> line.contains("Reconciled tenants")).forEach(System.out::println);
      checkReconciled(jar, dataDir, confirmed);
    }
  }

  /** Checks that every listed tenant is active and serves data, and that every file belongs to one. */
  private void checkReconciled(JarProcess jar, Path dataDir, Set<String> confirmed) {
    Set<String> listed = new TreeSet<>();
    for (JsonObject tenant : listTenants(jar)) {
      String id = tenant.getString("id");
      listed.add(id);
      assertThat(tenant.getString("status")).as("status of %s", id).isEqualTo("active");
      HttpResult products = jar.callForTenant("GET", "/api/products", ADMIN_TOKEN, id);
      assertThat(products.status()).as("GET /api/products of %s: %s", id, products).isEqualTo(200);
    }
    assertThat(listed).as("listed tenants").containsAll(confirmed);
    for (String name : SqliteFiles.fileNames(dataDir.resolve("tenants"))) {
      Matcher matcher = TENANT_FILE.matcher(name);
      assertThat(matcher.matches()).as("tenant file name %s", name).isTrue();
      assertThat(listed).as("owner of tenants/%s", name).contains(matcher.group(1));
    }
  }

  private List<JsonObject> listTenants(JarProcess jar) {
    List<JsonObject> tenants = new ArrayList<>();
    String after = null;
    do {
      HttpResult page = jar.call("GET", "/admin/tenants?limit=1000" + (after == null ? "" : "&after=" + after),
        ADMIN_TOKEN, null);
      assertThat(page.status()).as("GET /admin/tenants: %s", page).isEqualTo(200);
      page.items().forEach(item -> tenants.add((JsonObject) item));
      after = page.json().getString("next");
    } while (after != null);
    return tenants;
  }

  private JarProcess startJar(Path dataDir) {
    int port = JarProcess.freePort();
    Map<String, String> environment = Map.of(
      "SILO_HTTP_HOST", "127.0.0.1",
      "SILO_HTTP_PORT", Integer.toString(port),
      "SILO_ADMIN_TOKEN", ADMIN_TOKEN,
      "SILO_DATA_DIR", dataDir.toString());
    Path log = workDir.resolve("silo-" + (started.count() + 1) + ".log");
    JarProcess jar = JarProcess.start(workDir, port, environment, List.of(), log, http);
    return started.add(jar).awaitReady();
  }

  /**
   * Provisions tenants one after another until a request fails to connect or to get a
   * reply, which happens when the server is killed. Records the ids that returned 201.
   */
  private final class ProvisionLoop implements Runnable {

    private final int port;
    private final String prefix;
    private final Set<String> confirmed;
    private final CountDownLatch running = new CountDownLatch(1);
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private volatile int confirmedCount;

    ProvisionLoop(int port, String prefix, Set<String> confirmed) {
      this.port = port;
      this.prefix = prefix;
      this.confirmed = confirmed;
    }

    @Override
    public void run() {
      running.countDown();
      for (int i = 0; i < MAX_PROVISIONS_PER_ROUND; i++) {
        String id = prefix + i;
        JsonObject body = new JsonObject().put("id", id).put("name", "Tenant " + id).put("plan", "standard");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/tenants"))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + ADMIN_TOKEN)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
          .build();
        try {
          HttpResponse<String> response = loopHttp.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 201) {
            confirmed.add(id);
            confirmedCount++;
          } else {
            unexpected.add(id + ": " + response.statusCode() + " " + response.body());
          }
        } catch (IOException e) {
          // The server was killed: this request's outcome is unknown, and the loop ends.
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
