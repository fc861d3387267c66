package dev.silo.data;

import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.ProcessResources;
import dev.silo.testing.SiloTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads and file descriptors of a server whose tenants outnumber its pool budget by far,
 * read from {@code /proc/self}.
 */
class ResourceBoundsTest {

  /**
   * Tenants provisioned and touched once each: 2,000 unless the build property
   * {@code silo.test.bound-tenants} sets another number. Provisioning and touching 2,000
   * took 20 to 40 s on 2 cores shared with other builds. Fewer tenants show the same
   * bound, because after the first {@link #MAX_OPEN} every touch opens one pool and evicts
   * one, which returns the server to {@link #MAX_OPEN} open pools.
   */
  private static final int TENANTS = Integer.getInteger("silo.test.bound-tenants", 2_000);
  private static final int MAX_OPEN = 16;
  /** Touches before the first sample: twice the budget, so pools have been evicted already. */
  private static final int WARM_UP = 2 * MAX_OPEN;
  /**
   * Threads that may still start after the warm-up. The Vert.x worker and internal
   * blocking pools start threads on demand, up to 20 each, and the warm-up's requests
   * already started them. Runs on 2 cores measured no new thread after the warm-up.
   */
  private static final int THREAD_SLACK = 8;
  /** Descriptors of one open pool that served one request at a time: the database, its -wal and its -shm. */
  private static final int DESCRIPTORS_PER_POOL = 3;
  /** Descriptors that may open besides pools, such as HTTP connections between the test and the server. */
  private static final int DESCRIPTOR_SLACK = 16;

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @Test
  void threadsAndDescriptorsDoNotGrowWithTenants() {
    try (SiloTestServer server = SiloTestServer.start(dir,
      options -> options.with(SiloOptions.TENANT_MAX_OPEN, MAX_OPEN))) {
      silo = server;
      touchEveryTenantAndCheckBounds();
    }
  }

  private void touchEveryTenantAndCheckBounds() {
    ProcessResources process = ProcessResources.self();
    long provisionStart = System.nanoTime();
    for (int i = 0; i < TENANTS; i++) {
      silo.provision(tenant(i));
    }
    long provisionMillis = (System.nanoTime() - provisionStart) / 1_000_000;
    int agroalThreadsBefore = agroalThreads();
    int descriptorsBefore = process.fileDescriptors();

    for (int i = 0; i < WARM_UP; i++) {
      touch(i);
    }
    int threadsAfterWarmUp = process.threads();
    int descriptorsAfterWarmUp = process.fileDescriptors();
    int maxThreads = threadsAfterWarmUp;
    int maxDescriptors = descriptorsAfterWarmUp;
    int maxOpenTenants = openTenants();
    long touchStart = System.nanoTime();
    for (int i = WARM_UP; i < TENANTS; i++) {
      touch(i);
      if (i % 50 == 0 || i == TENANTS - 1) {
        maxThreads = Math.max(maxThreads, process.threads());
        maxDescriptors = Math.max(maxDescriptors, process.fileDescriptors());
        maxOpenTenants = Math.max(maxOpenTenants, openTenants());
      }
    }
    long touchMillis = (System.nanoTime() - touchStart) / 1_000_000;
    System.out.printf("%d tenants provisioned in %d ms, touched in %d ms; threads %d after warm-up, max %d;"
        + " descriptors %d before touching, %d after warm-up, max %d; max open tenant databases %d%n", TENANTS,
      provisionMillis, touchMillis, threadsAfterWarmUp, maxThreads, descriptorsBefore, descriptorsAfterWarmUp,
      maxDescriptors, maxOpenTenants);

    assertThat(maxOpenTenants).as("tenant databases open at once").isLessThanOrEqualTo(MAX_OPEN);
    assertThat(maxThreads).as("threads after touching %d tenants", TENANTS)
      .isLessThanOrEqualTo(threadsAfterWarmUp + THREAD_SLACK);
    assertThat(maxDescriptors).as("descriptors after touching %d tenants", TENANTS)
      .isLessThanOrEqualTo(descriptorsBefore + MAX_OPEN * DESCRIPTORS_PER_POOL + DESCRIPTOR_SLACK);
    assertThat(agroalThreads()).as("Agroal threads, which tenant pools must not add").isEqualTo(agroalThreadsBefore);
  }

  private void touch(int index) {
    HttpResult result = silo.call("GET", "/api/products", SiloTestServer.ADMIN_TOKEN, tenant(index), null);
    assertThat(result.status()).as("GET /api/products of %s: %s", tenant(index), result).isEqualTo(200);
  }

  /** Returns the number of distinct tenant databases that the process has open. */
  private int openTenants() {
    List<Path> open = ProcessResources.self().openFilesIn(dir.resolve("tenants"));
    Set<Path> databases = new HashSet<>();
    open.stream().filter(file -> file.toString().endsWith(".db")).forEach(databases::add);
    return databases.size();
  }

  /** Returns the number of live threads that Agroal's housekeeping executors started. */
  private static int agroalThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
      .filter(thread -> thread.getName().startsWith("agroal-"))
      .count();
  }

  private static String tenant(int index) {
    return String.format("bound-%04d", index);
  }
}
