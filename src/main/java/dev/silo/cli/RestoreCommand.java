package dev.silo.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code restore TENANT BACKUP_ID}. */
@Command(name = "restore",
  description = {"Replaces a tenant's data with one of its backups and prints the tenant.",
    "Writes made after the backup are lost."})
final class RestoreCommand implements Callable<Integer> {

  @ParentCommand
  SiloCli root;

  @Parameters(index = "0", paramLabel = "TENANT", description = "tenant id")
  String tenantId;

  @Parameters(index = "1", paramLabel = "BACKUP_ID", description = "backup id, as 'backup list' prints it")
  String backupId;

  @Override
  public Integer call() {
    JsonObject tenant = root.client().post("/admin/tenants/" + AdminClient.segment(tenantId) + "/restore",
      new JsonObject().put("backup_id", backupId));
    root.output().object(tenant, TenantsCommand.COLUMNS);
    return ExitCodes.OK;
  }
}
