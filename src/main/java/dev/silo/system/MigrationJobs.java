package dev.silo.system;

import dev.silo.system.MigrationJob.Failure;
import dev.silo.system.MigrationJob.Status;
import dev.silo.system.MigrationJob.TenantOutcome;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables {@code migration_jobs} and {@code migration_job_tenants}. Blocking calls on
 * a connection of {@link SystemDatabase}.
 */
public final class MigrationJobs {

  private static final String FIND_JOB = "SELECT id, status, target_version, total, created_at, finished_at, "
    + "(SELECT count(*) FROM migration_job_tenants t WHERE t.job_id = j.id AND t.status IN (?, ?)) AS migrated, "
    + "(SELECT count(*) FROM migration_job_tenants t WHERE t.job_id = j.id AND t.status = ?) AS skipped "
    + "FROM migration_jobs j WHERE id = ?";

  private MigrationJobs() {
  }

  /**
   * Inserts a running job and one row per tenant with its starting outcome, pending or
   * skipped. Call it in a transaction.
   */
  public static void insert(Connection connection, String id, String targetVersion, String at,
                            Map<String, TenantOutcome> tenants) throws SQLException {
    Jdbc.update(connection, "INSERT INTO migration_jobs (id, status, target_version, total, created_at) "
      + "VALUES (?, ?, ?, ?, ?)", id, Status.RUNNING.value(), targetVersion, tenants.size(), at);
    for (Map.Entry<String, TenantOutcome> tenant : tenants.entrySet()) {
      Jdbc.update(connection, "INSERT INTO migration_job_tenants (job_id, tenant_id, status) VALUES (?, ?, ?)",
        id, tenant.getKey(), tenant.getValue().value());
    }
  }

  /** Returns the job with its counts and failures. */
  public static Optional<MigrationJob> find(Connection connection, String id) throws SQLException {
    Optional<MigrationJob> job = Jdbc.queryOne(connection, FIND_JOB, MigrationJobs::map,
      TenantOutcome.MIGRATED.value(), TenantOutcome.SKIPPED.value(), TenantOutcome.SKIPPED.value(), id);
    if (job.isEmpty()) {
      return job;
    }
    List<Failure> failures = Jdbc.query(connection, "SELECT tenant_id, error FROM migration_job_tenants "
        + "WHERE job_id = ? AND status = ? ORDER BY tenant_id",
      row -> new Failure(row.getString("tenant_id"), row.getString("error")), id, TenantOutcome.FAILED.value());
    return Optional.of(job.get().withFailures(failures));
  }

  /** Returns the id of the running job, if one runs. */
  public static Optional<String> findRunning(Connection connection) throws SQLException {
    return Jdbc.queryOne(connection, "SELECT id FROM migration_jobs WHERE status = ?",
      row -> row.getString("id"), Status.RUNNING.value());
  }

  /** Returns up to {@code limit} tenants of the job that are still pending, by id. */
  public static List<String> pendingTenants(Connection connection, String jobId, int limit) throws SQLException {
    return Jdbc.query(connection, "SELECT tenant_id FROM migration_job_tenants "
        + "WHERE job_id = ? AND status = ? ORDER BY tenant_id LIMIT ?",
      row -> row.getString("tenant_id"), jobId, TenantOutcome.PENDING.value(), limit);
  }

  /** Records the outcome of one tenant. {@code error} is {@code null} unless it failed. */
  public static void recordTenant(Connection connection, String jobId, String tenantId, TenantOutcome outcome,
                                  String error) throws SQLException {
    Jdbc.update(connection, "UPDATE migration_job_tenants SET status = ?, error = ? WHERE job_id = ? AND tenant_id = ?",
      outcome.value(), error, jobId, tenantId);
  }

  /** Finishes a running job: failed when any of its tenants failed, completed otherwise. */
  public static void finish(Connection connection, String jobId, String at) throws SQLException {
    Jdbc.update(connection, "UPDATE migration_jobs SET finished_at = ?, status = CASE WHEN EXISTS "
        + "(SELECT 1 FROM migration_job_tenants WHERE job_id = ? AND status = ?) THEN ? ELSE ? END "
        + "WHERE id = ? AND status = ?",
      at, jobId, TenantOutcome.FAILED.value(), Status.FAILED.value(), Status.COMPLETED.value(), jobId,
      Status.RUNNING.value());
  }

  /**
   * Fails every pending tenant of the running jobs with {@code error} and finishes those
   * jobs. Call it in a transaction.
   *
   * @return the ids of the jobs finished
   */
  public static List<String> failRunning(Connection connection, String error, String at) throws SQLException {
    List<String> running = Jdbc.query(connection, "SELECT id FROM migration_jobs WHERE status = ?",
      row -> row.getString("id"), Status.RUNNING.value());
    for (String jobId : running) {
      Jdbc.update(connection, "UPDATE migration_job_tenants SET status = ?, error = ? WHERE job_id = ? AND status = ?",
        TenantOutcome.FAILED.value(), error, jobId, TenantOutcome.PENDING.value());
      finish(connection, jobId, at);
    }
    return running;
  }

  private static MigrationJob map(ResultSet row) throws SQLException {
    return new MigrationJob(row.getString("id"), Status.fromValue(row.getString("status")),
      row.getString("target_version"), row.getInt("total"), row.getInt("migrated"), row.getInt("skipped"), List.of(),
      row.getString("created_at"), row.getString("finished_at"));
  }
}
