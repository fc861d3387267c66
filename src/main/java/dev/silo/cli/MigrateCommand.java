package dev.silo.cli;

import dev.silo.cli.Output.Column;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code migrate}: starts a migrate-all job (or joins the running one) and polls it until
 * it finishes, drawing a progress bar on standard error.
 */
@Command(name = "migrate",
  description = {"Migrates every tenant to the server's current schema and shows the progress.",
    "Exits 0 when the job completed, 1 when a tenant failed; the failures are listed."})
final class MigrateCommand implements Callable<Integer> {

  static final List<Column> COLUMNS = List.of(new Column("JOB", "id"), new Column("STATUS", "status"),
    new Column("TARGET", "target_version"), new Column("TOTAL", "total"), new Column("MIGRATED", "migrated"),
    new Column("SKIPPED", "skipped"), new Column("FAILED", "failed"));
  private static final List<Column> FAILURE_COLUMNS = List.of(new Column("TENANT", "tenant_id"),
    new Column("ERROR", "error"));
  private static final String RUNNING = "running";
  private static final int BAR_WIDTH = 30;

  @ParentCommand
  SiloCli root;

  @Option(names = "--no-wait", description = "print the started job and return without waiting for it")
  boolean noWait;

  @Option(names = "--interval", defaultValue = "500", paramLabel = "MS",
    description = "time between progress requests, in milliseconds (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--timeout", defaultValue = "3600", paramLabel = "SECONDS",
    description = "maximum wait for the job to finish, in seconds (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    AdminClient client = root.client();
    JsonObject job = client.post("/admin/migrations", null);
    if (!noWait) {
      job = await(client, job);
    }

    Output output = root.output();
    output.object(job, COLUMNS);
    if (!output.json() && !job.getJsonArray("failures").isEmpty()) {
      output.list(job.getJsonArray("failures").stream().map(JsonObject.class::cast).toList(), FAILURE_COLUMNS);
    }
    return "failed".equals(job.getString("status")) ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  private JsonObject await(AdminClient client, JsonObject job) throws InterruptedException {
    ProgressBar bar = new ProgressBar(root.err(), System.console() != null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    bar.show(job);
    while (RUNNING.equals(job.getString("status"))) {
      if (System.nanoTime() > deadline) {
        bar.finish();
        throw new CliException(ExitCodes.FAILURE, "migration job " + job.getString("id") + " is still running after "
          + timeoutSeconds + " s; follow it with GET /admin/migrations/" + job.getString("id"));
      }
      TimeUnit.MILLISECONDS.sleep(intervalMillis);
      job = client.get("/admin/migrations/" + AdminClient.segment(job.getString("id")));
      bar.show(job);
    }
    bar.finish();
    return job;
  }

  /**
   * A progress bar of tenants done (migrated, skipped or failed) out of the job's total. On a
   * terminal it redraws one line; otherwise it prints a line each time the count changes.
   */
  static final class ProgressBar {

    private final PrintWriter err;
    private final boolean terminal;
    private String last = "";

    ProgressBar(PrintWriter err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    void show(JsonObject job) {
      int total = job.getInteger("total");
      int done = job.getInteger("migrated") + job.getInteger("failed");
      int filled = total == 0 ? BAR_WIDTH : BAR_WIDTH * done / total;
      String line = String.format("[%s%s] %d/%d tenants, %d failed", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled),
        done, total, job.getInteger("failed"));
      if (line.equals(last)) {
        return;
      }
      last = line;
      if (terminal) {
        err.print("\r" + line);
      } else {
        err.println(line);
      }
      err.flush();
    }

    void finish() {
      if (terminal) {
        err.println();
        err.flush();
      }
    }
  }
}
