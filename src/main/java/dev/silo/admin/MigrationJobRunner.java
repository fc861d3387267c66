package dev.silo.admin;

import dev.silo.bus.Addresses;
import dev.silo.error.SiloException;
import dev.silo.metrics.SiloMetrics;
import dev.silo.system.MigrationJob;
import dev.silo.system.MigrationJob.TenantOutcome;
import dev.silo.system.MigrationJobs;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.system.TenantStatus;
import dev.silo.system.Tokens;
import dev.silo.tenant.TenantMigrator;
import dev.silo.util.Blocking;
import dev.silo.util.Fields;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs migrate-all jobs ({@code migrations.start}, {@code migrations.get}): every tenant
 * that is active or suspended when a job starts is brought to the target schema version.
 * <p>
 * The job runs in batches of {@code migration_parallelism} tenants, each batch one task
 * of the admin verticle's {@link SerialQueue}. So a tenant's migration never overlaps a
 * lifecycle change or another migration of that tenant, and admin requests that arrive
 * during a job are served between batches. Within a batch, Flyway runs on worker threads
 * for distinct tenants. A tenant whose registered version is at the target is skipped
 * without opening Flyway. A failing tenant is recorded with a safe message, and the job
 * goes on with the next one. A job ends {@code completed} when every tenant was migrated
 * or skipped, and {@code failed} when at least one tenant failed.
 * <p>
 * One job runs at a time: a start request during a job returns the running job. A job
 * that a server stop interrupted is finished as failed at the next start.
 * <p>
 * Runs on the admin verticle's context. When a job finishes it publishes
 * {@code {type: "migration_job.finished", job_id, status, at}} on {@link Addresses#EVENTS}.
 */
final class MigrationJobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationJobRunner.class);

  static final String FINISHED_EVENT = "migration_job.finished";
  static final String TARGET_CHANGED_ERROR = "the server stopped before this tenant was migrated, and restarted "
    + "with a different target version; start a new job";

  /** Shortest time between two progress updates of the job metrics: one second. */
  private static final long METRICS_INTERVAL_NANOS = 1_000_000_000L;

  private final Vertx vertx;
  private final SystemDatabase database;
  private final TenantMigrator migrator;
  private final TenantLifecycle lifecycle;
  private final SerialQueue queue;
  private final int parallelism;
  private final SiloMetrics metrics;
  private Future<?> currentBatch = Future.succeededFuture();
  private boolean stopping;
  /** {@link System#nanoTime()} of the last progress update of the job metrics. */
  private long metricsUpdatedNanos = System.nanoTime() - METRICS_INTERVAL_NANOS;

  MigrationJobRunner(Vertx vertx, SystemDatabase database, TenantMigrator migrator, TenantLifecycle lifecycle,
                     SerialQueue queue, int parallelism, SiloMetrics metrics) {
    this.vertx = vertx;
    this.database = database;
    this.migrator = migrator;
    this.lifecycle = lifecycle;
    this.queue = queue;
    this.parallelism = parallelism;
    this.metrics = metrics;
  }

  /**
   * Goes on with a job that a previous run left running, once the whole server is up
   * (closing a tenant's pool needs the data verticles). Its tenants still pending are
   * migrated. A tenant whose migration a crash interrupted is still pending too: SQLite
   * rolled the unfinished migration back, so Flyway applies it again. A job for another target
   * version, because the operator changed the migrations, is finished as failed.
   */
  Future<JsonObject> resumeInterrupted(JsonObject request) {
    long startNanos = System.nanoTime();
    return Blocking.call(() -> database.inTransaction(c -> {
        Optional<String> running = MigrationJobs.findRunning(c);
        if (running.isEmpty()) {
          return Optional.<String>empty();
        }
        MigrationJob job = MigrationJobs.find(c, running.get()).orElseThrow();
        if (job.targetVersion().equals(migrator.targetVersion())) {
          return running;
        }
        MigrationJobs.failRunning(c, TARGET_CHANGED_ERROR, Times.now());
        LOG.warn("Migration job {} to version {} was interrupted and the target is now {}: marked failed",
          job.id(), job.targetVersion(), migrator.targetVersion());
        return Optional.<String>empty();
      }))
      .map(resumed -> {
        resumed.ifPresent(id -> {
          LOG.info("Resuming migration job {}, interrupted by a server stop", id);
          scheduleNextBatch(id, startNanos);
        });
        return new JsonObject().put("resumed", resumed.orElse(null));
      });
  }

  /** Starts a job, or returns the running one. Runs as a task of the queue. */
  Future<JsonObject> start(JsonObject request) {
    long startNanos = System.nanoTime();
    return Blocking.call(this::startOrFindRunning)
      .onSuccess(started -> {
        if (!started.created()) {
          return;
        }
        metrics.migrationJob(started.job());
        if (started.job().status() == MigrationJob.Status.RUNNING) {
          scheduleNextBatch(started.job().id(), startNanos);
        } else {
          announceFinished(started.job(), startNanos);
        }
      })
      .map(started -> started.job().toJson());
  }

  /** Returns a job, or fails with {@code not_found}. */
  Future<JsonObject> get(JsonObject request) {
    return Blocking.call(() -> {
      String id = Fields.requiredString(request, "id", 64);
      return database.withConnection(c -> MigrationJobs.find(c, id))
        .orElseThrow(() -> SiloException.notFound("migration job '" + id + "' does not exist"))
        .toJson();
    });
  }

  /** Schedules no further batch and returns when the current one has finished. */
  Future<Void> stop() {
    stopping = true;
    return currentBatch.transform(ignored -> Future.succeededFuture());
  }

  private record Started(MigrationJob job, boolean created) {
  }

  private Started startOrFindRunning() throws SQLException {
    String id = "job_" + Tokens.randomString(9);
    String at = Times.now();
    return database.inTransaction(c -> {
      Optional<String> running = MigrationJobs.findRunning(c);
      if (running.isPresent()) {
        LOG.info("Migration job {} is still running, so the start request returns it", running.get());
        return new Started(MigrationJobs.find(c, running.get()).orElseThrow(), false);
      }
      Map<String, TenantOutcome> tenants = new TreeMap<>();
      for (TenantStatus status : List.of(TenantStatus.ACTIVE, TenantStatus.SUSPENDED)) {
        for (TenantRecord tenant : TenantRegistry.withStatus(c, status)) {
          tenants.put(tenant.id(), migrator.isBehind(tenant.schemaVersion()) ? TenantOutcome.PENDING
            : TenantOutcome.SKIPPED);
        }
      }
      MigrationJobs.insert(c, id, migrator.targetVersion(), at, tenants);
      if (!tenants.containsValue(TenantOutcome.PENDING)) {
        MigrationJobs.finish(c, id, at);
      }
      MigrationJob job = MigrationJobs.find(c, id).orElseThrow();
      LOG.info("Started migration job {} to schema version {}: {} tenants, {} behind", id, job.targetVersion(),
        job.total(), job.total() - job.skipped());
      return new Started(job, true);
    });
  }

  private void scheduleNextBatch(String jobId, long startNanos) {
    if (stopping) {
      return;
    }
    Future<Boolean> batch = queue.submit(() -> runBatch(jobId, startNanos));
    currentBatch = batch;
    batch.onComplete(ar -> {
      if (ar.failed()) {
        // NOTE: the job stays running, so start requests return it, until the next server start fails it.
        LOG.error("Migration job {} stopped because recording its progress failed", jobId, ar.cause());
      } else if (ar.result()) {
        scheduleNextBatch(jobId, startNanos);
      }
    });
  }

  /** Migrates the next batch of pending tenants and returns whether the job goes on. */
  private Future<Boolean> runBatch(String jobId, long startNanos) {
    if (stopping) {
      return Future.succeededFuture(false);
    }
    return Blocking.call(() -> database.withConnection(c -> MigrationJobs.pendingTenants(c, jobId, parallelism)))
      .compose(tenantIds -> {
        if (tenantIds.isEmpty()) {
          return finish(jobId, startNanos).map(false);
        }
        List<Future<Void>> migrations = tenantIds.stream().map(id -> migrateTenant(jobId, id)).toList();
        return Future.join(migrations)
          .compose(ignored -> updateMetrics(jobId))
          .map(true);
      });
  }

  /**
   * Updates the job's progress gauges at most once per {@link #METRICS_INTERVAL_NANOS}.
   * Counting the job's tenants after every batch took 3 to 5 ms with 10,000 tenants
   * (measured with scripts/bench-scale.py), about as long as migrating one tenant.
   */
  private Future<Void> updateMetrics(String jobId) {
    long now = System.nanoTime();
    if (now - metricsUpdatedNanos < METRICS_INTERVAL_NANOS) {
      return Future.succeededFuture();
    }
    metricsUpdatedNanos = now;
    return Blocking.call(() -> database.withConnection(c -> MigrationJobs.find(c, jobId)))
      .onSuccess(job -> job.ifPresent(metrics::migrationJob))
      .mapEmpty();
  }

  private Future<Void> migrateTenant(String jobId, String tenantId) {
    return migrateIfBehind(tenantId)
      .map(outcome -> new TenantResult(outcome, null))
      .recover(failure -> {
        LOG.error("Migration job {} failed to migrate tenant {}", jobId, tenantId, failure);
        String error = MigrationErrors.describe(failure, migrator.targetVersion());
        return Future.succeededFuture(new TenantResult(TenantOutcome.FAILED, error));
      })
      .compose(result -> Blocking.call(() -> database.withConnection(c -> {
        MigrationJobs.recordTenant(c, jobId, tenantId, result.outcome(), result.error());
        return null;
      })));
  }

  private record TenantResult(TenantOutcome outcome, String error) {
  }

  /**
   * Closes the tenant's pool and migrates its file, unless its registered version is at
   * the target already or it was deleted since the job started.
   */
  private Future<TenantOutcome> migrateIfBehind(String tenantId) {
    return Blocking.call(() -> database.withConnection(c -> TenantRegistry.find(c, tenantId)))
      .compose(tenant -> {
        if (tenant.isEmpty() || !migrator.isBehind(tenant.get().schemaVersion())) {
          return Future.succeededFuture(TenantOutcome.SKIPPED);
        }
        // Closing first lets in-flight requests finish on the old schema. A new request
        // reopens the pool only after asking this verticle to migrate the tenant, and that
        // request waits in the queue behind this batch.
        return lifecycle.closePool(tenantId, "migrating")
          .compose(v -> vertx.executeBlocking(() -> lifecycle.migrateBlocking(tenantId), false))
          .map(TenantOutcome.MIGRATED);
      });
  }

  private Future<Void> finish(String jobId, long startNanos) {
    return Blocking.call(() -> database.inTransaction(c -> {
        MigrationJobs.finish(c, jobId, Times.now());
        return MigrationJobs.find(c, jobId).orElseThrow();
      }))
      .onSuccess(job -> announceFinished(job, startNanos))
      .mapEmpty();
  }

  private void announceFinished(MigrationJob job, long startNanos) {
    metrics.migrationJob(job);
    LOG.info("Finished migration job {} as {}: {} of {} tenants migrated ({} skipped), {} failed, in {} ms",
      job.id(), job.status().value(), job.migrated(), job.total(), job.skipped(), job.failed(),
      (System.nanoTime() - startNanos) / 1_000_000);
    vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("type", FINISHED_EVENT)
      .put("job_id", job.id()).put("status", job.status().value()).put("at", Times.now()));
  }
}
