package dev.silo.metrics;

import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrapes {@code GET /metrics} of a real server after traffic and checks the parsed samples. */
class MetricsTest {

  private static final String REQUESTS = "vertx_http_server_requests_total";
  private static final List<String> TENANTS = List.of("metrics-alpha", "metrics-bravo");

  @TempDir
  Path dataDir;

  private SiloTestServer silo;

  @AfterEach
  void stop() {
    if (silo != null) {
      silo.close();
    }
  }

  @Test
  void requestsCountedByRouteTemplate() {
    silo = SiloTestServer.start(dataDir);
    traffic();

    PrometheusText metrics = scrape();

    assertThat(metrics.sum(REQUESTS, Map.of("route", "/api/products", "method", "GET", "code", "200")))
      .isEqualTo(TENANTS.size());
    assertThat(metrics.sum(REQUESTS, Map.of("route", "/api/products/:id", "method", "GET", "code", "404")))
      .isEqualTo(TENANTS.size());
    assertThat(metrics.sum(REQUESTS, Map.of("route", "/admin/tenants/:id", "method", "GET", "code", "404")))
      .isEqualTo(1);
    assertThat(metrics.sum(REQUESTS, Map.of("route", "/admin/tenants", "method", "POST", "code", "201")))
      .isEqualTo(TENANTS.size());
    assertThat(metrics.sum(REQUESTS, Map.of("route", "", "method", "GET", "code", "404")))
      .as("requests that no route matched").isEqualTo(1);
    assertThat(metrics.find("vertx_http_server_response_time_seconds_bucket", Map.of("route", "/api/products")))
      .as("latency histogram buckets").isNotEmpty();
  }

  @Test
  void labelsHaveNoTenantIdsOrPaths() {
    silo = SiloTestServer.start(dataDir);
    traffic();

    PrometheusText metrics = scrape();

    for (PrometheusText.Sample sample : metrics.samples()) {
      for (Map.Entry<String, String> label : sample.labels().entrySet()) {
        assertThat(label.getValue()).as("%s %s", sample.name(), label.getKey())
          .doesNotContain("metrics-alpha", "metrics-bravo", "no-such-tenant", "__vertx.reply");
      }
      assertThat(sample.labels()).as(sample.name()).doesNotContainKey("path");
    }
  }

  @Test
  void openPoolsGaugeAndOpens() {
    silo = SiloTestServer.start(dataDir);
    traffic();

    PrometheusText metrics = scrape();

    assertThat(metrics.sum("silo_tenant_pools_open", Map.of())).isEqualTo(TENANTS.size());
    assertThat(metrics.sum("silo_tenant_pool_opens_total", Map.of())).isGreaterThanOrEqualTo(TENANTS.size());
  }

  @Test
  void eventBusTrafficByAddress() {
    silo = SiloTestServer.start(dataDir);
    traffic();

    PrometheusText metrics = scrape();

    assertThat(metrics.sum("vertx_eventbus_processed_total", Map.of("address", "silo.admin")))
      .isGreaterThanOrEqualTo(TENANTS.size());
    double shard0 = Math.max(0, metrics.sum("vertx_eventbus_processed_total", Map.of("address", "silo.data.shard.0")));
    double shard1 = Math.max(0, metrics.sum("vertx_eventbus_processed_total", Map.of("address", "silo.data.shard.1")));
    assertThat(shard0 + shard1).as("requests handled by the data verticles").isGreaterThanOrEqualTo(2.0 * TENANTS.size());
  }

  @Test
  void lifecycleActionsTimed() {
    silo = SiloTestServer.start(dataDir);
    traffic();
    silo.admin("POST", "/admin/tenants/metrics-alpha/suspend", null);
    silo.admin("POST", "/admin/tenants/no-such-tenant/suspend", null);

    PrometheusText metrics = scrape();

    assertThat(metrics.sum("silo_admin_actions_seconds_count", Map.of("action", "tenants.provision",
      "outcome", "success"))).isEqualTo(TENANTS.size());
    // A provision copies and syncs a database file and commits to system.db: well over 50 µs.
    assertThat(metrics.sum("silo_admin_actions_seconds_sum", Map.of("action", "tenants.provision",
      "outcome", "success"))).as("time of the provisions").isGreaterThan(TENANTS.size() * 50e-6);
    assertThat(metrics.sum("silo_admin_actions_seconds_count", Map.of("action", "tenants.suspend",
      "outcome", "success"))).isEqualTo(1);
    assertThat(metrics.sum("silo_admin_actions_seconds_count", Map.of("action", "tenants.suspend",
      "outcome", "failure"))).isEqualTo(1);
  }

  @Test
  void migrationJobProgress() {
    silo = SiloTestServer.start(dataDir);
    traffic();
    HttpResult job = silo.admin("POST", "/admin/migrations", null);
    assertThat(job.status()).as(job.toString()).isEqualTo(202);

    PrometheusText metrics = scrape();

    assertThat(metrics.sum("silo_migration_job_tenants", Map.of("state", "total"))).isEqualTo(TENANTS.size());
    assertThat(metrics.sum("silo_migration_job_tenants", Map.of("state", "migrated"))).isEqualTo(TENANTS.size());
    assertThat(metrics.sum("silo_migration_job_tenants", Map.of("state", "failed"))).isZero();
    assertThat(metrics.sum("silo_migration_job_running", Map.of())).isZero();
  }

  @Test
  void idlePoolsEvicted() {
    silo = SiloTestServer.start(dataDir, options -> options.with(SiloOptions.TENANT_IDLE_TIMEOUT_MS, 1_000));
    traffic();

    PrometheusText metrics = awaitScrape(Duration.ofSeconds(20),
      scraped -> scraped.sum("silo_tenant_pools_open", Map.of()) == 0);

    assertThat(metrics.sum("silo_tenant_pool_evictions_total", Map.of("reason", "idle"))).isEqualTo(TENANTS.size());
  }

  @Test
  void scrapeNeedsNoToken() {
    silo = SiloTestServer.start(dataDir, UnaryOperator.identity());

    HttpResult result = silo.call("GET", "/metrics", null, null, null);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(result.body()).contains("# TYPE silo_tenant_pools_open gauge");
  }

  @Test
  void byteSizesHaveNoHistogramBuckets() {
    silo = SiloTestServer.start(dataDir, UnaryOperator.identity());
    traffic();

    String body = silo.call("GET", "/metrics", null, null, null).body();

    assertThat(body).contains("vertx_http_server_response_bytes_count");
    assertThat(body).doesNotContain("vertx_http_server_response_bytes_bucket");
    assertThat(body).contains("vertx_http_server_response_time_seconds_bucket");
  }

  @Test
  void latencyHistogramHasFixedBuckets() {
    silo = SiloTestServer.start(dataDir);
    traffic();

    List<PrometheusText.Sample> buckets = scrape().find("vertx_http_server_response_time_seconds_bucket",
      Map.of("route", "/api/products", "method", "GET", "code", "200"));

    List<String> expected = new ArrayList<>();
    for (long millis : SiloMetrics.LATENCY_BUCKETS_MS) {
      expected.add(Double.toString(millis / 1000.0));
    }
    expected.add("+Inf");
    assertThat(buckets).extracting(sample -> normalized(sample.labels().get("le")))
      .containsExactlyInAnyOrderElementsOf(expected);
  }

  /** Returns a Prometheus {@code le} value in the form {@link Double#toString} gives it. */
  private static String normalized(String le) {
    return le.equals("+Inf") ? le : Double.toString(Double.parseDouble(le));
  }

  /** Provisions the tenants, reads each one's products, and requests a missing product and tenant. */
  private void traffic() {
    for (String id : TENANTS) {
      silo.provision(id);
      String token = silo.tenantToken(id);
      assertThat(silo.call("GET", "/api/products", token, null, null).status()).isEqualTo(200);
      assertThat(silo.call("GET", "/api/products/999", token, null, null).status()).isEqualTo(404);
    }
    assertThat(silo.admin("GET", "/admin/tenants/no-such-tenant", null).status()).isEqualTo(404);
    assertThat(silo.call("GET", "/no-such-route/metrics-alpha", null, null, null).status()).isEqualTo(404);
  }

  private PrometheusText scrape() {
    HttpResult result = silo.call("GET", "/metrics", null, null, null);
    assertThat(result.status()).as("GET /metrics").isEqualTo(200);
    return PrometheusText.parse(result.body());
  }

  /** Scrapes until {@code condition} holds, failing after {@code timeout}. */
  private PrometheusText awaitScrape(Duration timeout, java.util.function.Predicate<PrometheusText> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    PrometheusText metrics = scrape();
    while (!condition.test(metrics)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics did not reach the expected state within " + timeout);
      }
      Thread.onSpinWait();
      metrics = scrape();
    }
    return metrics;
  }
}
