package dev.silo.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A migrate-all job with the counts of its tenants.
 *
 * @param total      tenants the job covers: every tenant that was active or suspended when it started
 * @param migrated   tenants at the target version now, including the skipped ones
 * @param skipped    tenants that needed no migration because they were at the target version when their turn
 *                   came (for example, migrated when a request opened them) or deleted before it
 * @param failures   tenants whose migration failed, by id
 * @param finishedAt time the job finished, or {@code null} while it runs
 */
public record MigrationJob(String id, Status status, String targetVersion, int total, int migrated, int skipped,
                           List<Failure> failures, String createdAt, String finishedAt) {

  /** State of a job, stored by its string value. */
  public enum Status {
    /** Some tenants are still pending. */
    RUNNING("running"),
    /** Every tenant was migrated or skipped. */
    COMPLETED("completed"),
    /** At least one tenant failed, and every other tenant was migrated or skipped. */
    FAILED("failed");

    private final String value;

    Status(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    public static Status fromValue(String value) {
      for (Status status : values()) {
        if (status.value.equals(value)) {
          return status;
        }
      }
      throw new IllegalArgumentException("unknown migration job status " + value);
    }
  }

  /** Result of one tenant in a job, stored by its string value. */
  public enum TenantOutcome {
    PENDING("pending"),
    MIGRATED("migrated"),
    SKIPPED("skipped"),
    FAILED("failed");

    private final String value;

    TenantOutcome(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /**
   * A tenant whose migration failed.
   *
   * @param error a short message safe to show to staff, without SQL text or stack trace
   */
  public record Failure(String tenantId, String error) {
  }

  public MigrationJob {
    failures = List.copyOf(failures);
  }

  /** Returns the number of tenants whose migration failed. */
  public int failed() {
    return failures.size();
  }

  public MigrationJob withFailures(List<Failure> newFailures) {
    return new MigrationJob(id, status, targetVersion, total, migrated, skipped, newFailures, createdAt, finishedAt);
  }

  /** Returns the job as the HTTP and event-bus API shows it. */
  public JsonObject toJson() {
    JsonArray failureList = new JsonArray();
    failures.forEach(f -> failureList.add(new JsonObject().put("tenant_id", f.tenantId()).put("error", f.error())));
    return new JsonObject()
      .put("id", id)
      .put("status", status.value())
      .put("target_version", targetVersion)
      .put("total", total)
      .put("migrated", migrated)
      .put("skipped", skipped)
      .put("failed", failed())
      .put("failures", failureList)
      .put("created_at", createdAt)
      .put("finished_at", finishedAt);
  }
}
