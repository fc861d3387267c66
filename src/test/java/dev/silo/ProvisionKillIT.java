package dev.silo;

import dev.silo.testing.HttpResult;
import dev.silo.testing.JarProcess;
import dev.silo.testing.JarServers;
import dev.silo.testing.SqliteFiles;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
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

import static dev.silo.testing.JarServers.ADMIN_TOKEN;
import static dev.silo.testing.JarServers.provision;
import static dev.silo.testing.JarServers.tenantRequest;
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

  @RegisterExtension
  final JarServers jars = new JarServers(() -> workDir);

  @Test
  void killedProvisioningRecoversOnRestart() throws Exception {
    long seed = Long.getLong("silo.kill.seed", System.nanoTime());
    System.out.printf("ProvisionKillIT seed %d (repeat with -Dsilo.kill.seed=%d)%n", seed, seed);
    Random random = new Random(seed);
    Path dataDir = workDir.resolve("silo-data");
    Map<String, String> environment = JarServers.environment(dataDir);
    Set<String> confirmed = new ConcurrentSkipListSet<>();

    JarProcess jar = jars.start(environment, List.of());
    for (int round = 1; round <= ROUNDS; round++) {
      int killDelayMs = random.nextInt(MAX_KILL_DELAY_MS + 1);
      // A freshly started JVM provisions its first tenant slowly. Without this warm-up an
      // early kill often lands before any provisioning has started.
      String warmUp = "kill-r" + round + "-warm-up";
      provision(jar, warmUp);
      confirmed.add(warmUp);
      List<ProvisionLoop> loops = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        ProvisionLoop loop = new ProvisionLoop(jar, "kill-r" + round + "-c" + client + "-", confirmed);
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

      jar = jars.start(environment, List.of());
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

  /**
   * Provisions tenants one after another until a request fails to connect or to get a
   * reply, which happens when the server is killed. Records the ids that returned 201.
   */
  private final class ProvisionLoop implements Runnable {

    private final JarProcess jar;
    private final String prefix;
    private final Set<String> confirmed;
    private final CountDownLatch running = new CountDownLatch(1);
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private volatile int confirmedCount;

    ProvisionLoop(JarProcess jar, String prefix, Set<String> confirmed) {
      this.jar = jar;
      this.prefix = prefix;
      this.confirmed = confirmed;
    }

    @Override
    public void run() {
      running.countDown();
      for (int i = 0; i < MAX_PROVISIONS_PER_ROUND; i++) {
        String id = prefix + i;
        HttpResult result;
        try {
          result = jar.send("POST", "/admin/tenants", ADMIN_TOKEN, tenantRequest(id));
        } catch (IOException e) {
          // The server was killed: this request's outcome is unknown, and the loop ends.
          return;
        }
        if (result.status() == 201) {
          confirmed.add(id);
          confirmedCount++;
        } else {
          unexpected.add(id + ": " + result);
        }
      }
    }
  }
}
