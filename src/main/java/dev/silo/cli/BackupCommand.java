package dev.silo.cli;

import dev.silo.cli.Output.Column;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code backup create|list}. */
@Command(name = "backup", description = "Backs up tenants and lists their backups.")
final class BackupCommand extends CommandGroup {

  static final List<Column> COLUMNS = List.of(new Column("ID", "id"), new Column("TENANT", "tenant_id"),
    new Column("CREATED", "created_at"), new Column("SIZE_BYTES", "size_bytes"));

  @Command(name = "create", description = "Backs up a tenant while it serves requests, and prints the backup.")
  int create(@Parameters(paramLabel = "TENANT", description = "tenant id") String tenantId) {
    JsonObject backup = root.client().post(backupsPath(tenantId), null);
    root.output().object(backup, COLUMNS);
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "Lists a tenant's backups, newest first, reading all pages.")
  int list(@Parameters(paramLabel = "TENANT", description = "tenant id") String tenantId,
           @Option(names = "--page-size", defaultValue = "1000", paramLabel = "N",
             description = "backups per request, 1 to 1000 (default: ${DEFAULT-VALUE})") int pageSize) {
    root.output().list(root.client().getAllPages(backupsPath(tenantId), pageSize), COLUMNS);
    return ExitCodes.OK;
  }

  private static String backupsPath(String tenantId) {
    return "/admin/tenants/" + AdminClient.segment(tenantId) + "/backups";
  }
}
