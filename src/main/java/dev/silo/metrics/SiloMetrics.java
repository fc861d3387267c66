package dev.silo.metrics;

import dev.silo.config.SiloOptions;
import dev.silo.system.MigrationJob;
import dev.silo.system.TokenCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Silo's own meters, beside the HTTP and event-bus meters that Vert.x records, in the
 * Prometheus registry of one server. Every label has a bounded set of values: there is
 * no per-tenant series. Thread-safe.
 */
public final class SiloMetrics {

  /** Reason a tenant pool was closed without a lifecycle change: the {@code reason} label of evictions. */
  public enum Eviction {
    /** Unused for {@code tenant_idle_timeout_ms}. */
    IDLE("idle"),
    /** Closed to open another pool at {@code tenant_max_open}, the limit of the whole server. */
    CAPACITY("capacity");

    private final String label;

    Eviction(String label) {
      this.label = label;
    }
  }

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final AtomicInteger openPools = new AtomicInteger();
  private final Counter poolOpens;
  private final AtomicLong jobRunning = new AtomicLong();
  private final AtomicLong jobTotal = new AtomicLong();
  private final AtomicLong jobMigrated = new AtomicLong();
  private final AtomicLong jobFailed = new AtomicLong();

  private SiloMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    Gauge.builder("silo.tenant.pools.open", openPools, AtomicInteger::get).strongReference(true)
      .description("Tenant pools open now, across all data verticles").register(registry);
    poolOpens = Counter.builder("silo.tenant.pool.opens").description("Tenant pools opened").register(registry);
    Gauge.builder("silo.migration.job.running", jobRunning, AtomicLong::get).strongReference(true)
      .description("1 while a migrate-all job runs, else 0").register(registry);
    registerJobGauge("total", jobTotal, "Tenants covered by the current or last migrate-all job");
    registerJobGauge("migrated", jobMigrated, "Tenants of that job at the target version, skipped ones included");
    registerJobGauge("failed", jobFailed, "Tenants of that job whose migration failed");
  }

  /**
   * Latency buckets of every timer, in milliseconds, for the Prometheus {@code _bucket}
   * series. Micrometer's percentile histogram would write about 70 buckets per series
   * (for each route, method and status of the HTTP server): over 500 KB of scrape text
   * after about 100 requests.
   */
  static final long[] LATENCY_BUCKETS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000};

  /**
   * Gives latency timers a histogram with {@link #LATENCY_BUCKETS_MS} and keeps byte-size
   * summaries (HTTP request and response bytes) to count and sum. A histogram on every
   * distribution, which Vert.x's publish-quantiles option sets, wrote 276 buckets per
   * route and status for the byte sizes: about 1 MB of scrape text after a few dozen
   * requests.
   */
  private static final MeterFilter TIMER_HISTOGRAMS = new MeterFilter() {
    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      boolean timer = id.getType() == Meter.Type.TIMER || id.getType() == Meter.Type.LONG_TASK_TIMER;
      if (!timer) {
        return DistributionStatisticConfig.builder().percentilesHistogram(false).build().merge(config);
      }
      // Micrometer reads the service level objectives of a timer in nanoseconds.
      double[] buckets = new double[LATENCY_BUCKETS_MS.length];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = TimeUnit.MILLISECONDS.toNanos(LATENCY_BUCKETS_MS[i]);
      }
      return DistributionStatisticConfig.builder().percentilesHistogram(false).serviceLevelObjectives(buckets).build()
        .merge(config);
    }
  };

  /**
   * Sets Micrometer metrics with a Prometheus registry on options for a new Vert.x
   * instance. Metrics options take effect only when the instance is created with them.
   */
  public static VertxOptions enable(VertxOptions vertxOptions, SiloOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setRegistryName(registryName(options))
      // Route templates, never raw paths: a path contains ids, which would make one series per id.
      .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE,
        Label.EB_FAILURE, Label.POOL_TYPE))
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return vertxOptions.setMetricsOptions(metrics);
  }

  /**
   * Creates a Vert.x instance with metrics: {@link #enable} on the options, and a
   * Prometheus registry whose histogram filter is in place before Vert.x registers its
   * first meter (Micrometer applies filters only to meters registered after them).
   */
  public static Vertx newVertx(VertxOptions vertxOptions, SiloOptions options) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(TIMER_HISTOGRAMS);
    return Vertx.builder()
      .with(enable(vertxOptions, options))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
  }

  /**
   * Returns the meters of the server whose options are given, in the registry that
   * {@link #enable} set up; without it the meters record nothing and {@link #prometheus()} is null.
   */
  public static SiloMetrics of(SiloOptions options) {
    MeterRegistry registry = BackendRegistries.getNow(registryName(options));
    if (registry instanceof PrometheusMeterRegistry) {
      warmUp((PrometheusMeterRegistry) registry);
      return new SiloMetrics(registry, (PrometheusMeterRegistry) registry);
    }
    return new SiloMetrics(new CompositeMeterRegistry(), null);
  }

  /**
   * Registers and records each kind of meter that Vert.x creates when its HTTP server binds,
   * then scrapes once. The first use of each loads many classes. Done here on a worker
   * thread, that loading no longer blocks the event loops that bind the HTTP server.
   */
  private static void warmUp(PrometheusMeterRegistry registry) {
    String name = "silo.metrics.warm.up";
    Timer timer = Timer.builder(name + ".timer").publishPercentileHistogram().withRegistry(registry).withTag("a", "b");
    timer.record(1, TimeUnit.MILLISECONDS);
    DistributionSummary summary = DistributionSummary.builder(name + ".summary").withRegistry(registry).withTag("a", "b");
    summary.record(1);
    Counter counter = Counter.builder(name + ".counter").withRegistry(registry).withTags(Tags.of("a", "b"));
    counter.increment();
    AtomicLong value = new AtomicLong();
    Gauge gauge = Gauge.builder(name + ".gauge", value, AtomicLong::get).register(registry);
    registry.scrape();
    List.of(timer, summary, counter, gauge).forEach(registry::remove);
  }

  /**
   * Returns the registry name of a server. One server runs per data folder, so the folder
   * keeps the registries of servers in one JVM (as in tests) apart.
   * <p>
   * NOTE: Vert.x stops a registry by name when an instance closes. A second server started
   * on the same folder in one JVM fails at the folder lock, and closing it may stop the
   * first server's registry too.
   */
  private static String registryName(SiloOptions options) {
    return "silo:" + options.dataDir().toAbsolutePath().normalize();
  }

  /** Returns the Prometheus registry to scrape, or {@code null} when metrics are not enabled. */
  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  public void poolOpened() {
    openPools.incrementAndGet();
    poolOpens.increment();
  }

  public void poolClosed() {
    openPools.decrementAndGet();
  }

  public void poolEvicted(Eviction reason) {
    registry.counter("silo.tenant.pool.evictions", "reason", reason.label).increment();
  }

  /**
   * Records one admin action (provision, suspend, migrations.start, ...), whose names form
   * a fixed set.
   */
  public void adminAction(String action, boolean succeeded, long nanos) {
    Timer.builder("silo.admin.actions")
      .description("Admin actions, lifecycle changes among them, by action and outcome")
      .tags("action", action, "outcome", succeeded ? "success" : "failure")
      .register(registry)
      .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Shows the progress of a migrate-all job in the {@code silo_migration_job_*} gauges. */
  public void migrationJob(MigrationJob job) {
    jobRunning.set(job.status() == MigrationJob.Status.RUNNING ? 1 : 0);
    jobTotal.set(job.total());
    jobMigrated.set(job.migrated());
    jobFailed.set(job.failed());
  }

  /**
   * Registers the meters of the server's token cache: {@code silo_token_cache_gets_total}
   * by {@code result} ({@code hit}, or {@code miss} for a lookup that queried the system
   * database) and the gauge {@code silo_token_cache_size}.
   */
  public void tokenCache(TokenCache cache) {
    registerTokenCacheGets(cache, "hit", TokenCache::hits);
    registerTokenCacheGets(cache, "miss", TokenCache::misses);
    Gauge.builder("silo.token.cache.size", cache, TokenCache::size).strongReference(true)
      .description("Tokens in the authentication cache").register(registry);
  }

  private void registerTokenCacheGets(TokenCache cache, String result, ToDoubleFunction<TokenCache> count) {
    FunctionCounter.builder("silo.token.cache.gets", cache, count)
      .tag("result", result)
      .description("Token lookups of authentication, served from the cache (hit) or by a query of the system database (miss)")
      .register(registry);
  }

  private void registerJobGauge(String state, AtomicLong value, String description) {
    Gauge.builder("silo.migration.job.tenants", value, AtomicLong::get).strongReference(true)
      .tag("state", state).description(description).register(registry);
  }
}
