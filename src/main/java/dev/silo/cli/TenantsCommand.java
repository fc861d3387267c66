package dev.silo.cli;

import dev.silo.cli.Output.Column;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code tenants create|list|get|suspend|resume|delete}. */
@Command(name = "tenants",
  description = "Provisions, lists, reads, suspends, resumes and deletes tenants.")
final class TenantsCommand extends CommandGroup {

  static final List<Column> COLUMNS = List.of(new Column("ID", "id"), new Column("NAME", "name"),
    new Column("PLAN", "plan"), new Column("STATUS", "status"), new Column("SCHEMA", "schema_version"),
    new Column("CREATED", "created_at"), new Column("SUSPENDED_REASON", "suspended_reason"));

  @Command(name = "create", description = "Provisions a tenant and prints it.")
  int create(@Parameters(paramLabel = "ID", description = "tenant id: 3 to 63 of a-z, 0-9 and -, starting with a letter") String id,
             @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "plan name (required)") String plan,
             @Option(names = "--name", paramLabel = "NAME", description = "display name (default: the id)") String name) {
    JsonObject request = new JsonObject().put("id", id).put("name", name == null ? id : name).put("plan", plan);
    root.output().object(root.client().post("/admin/tenants", request), COLUMNS);
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "Lists every tenant, reading all pages.")
  int list(@Option(names = "--page-size", defaultValue = "1000", paramLabel = "N",
    description = "tenants per request, 1 to 1000 (default: ${DEFAULT-VALUE})") int pageSize) {
    List<JsonObject> tenants = root.client().getAllPages("/admin/tenants", pageSize);
    root.output().list(tenants, COLUMNS);
    return ExitCodes.OK;
  }

  @Command(name = "get", description = "Prints one tenant.")
  int get(@Parameters(paramLabel = "ID") String id) {
    root.output().object(root.client().get(path(id)), COLUMNS);
    return ExitCodes.OK;
  }

  @Command(name = "suspend", description = "Suspends a tenant: its data requests get 403 until it is resumed.")
  int suspend(@Parameters(paramLabel = "ID") String id,
              @Option(names = "--reason", paramLabel = "TEXT", description = "reason stored with the tenant") String reason) {
    JsonObject request = new JsonObject();
    if (reason != null) {
      request.put("reason", reason);
    }
    root.output().object(root.client().post(path(id) + "/suspend", request), COLUMNS);
    return ExitCodes.OK;
  }

  @Command(name = "resume", description = "Resumes a suspended tenant.")
  int resume(@Parameters(paramLabel = "ID") String id) {
    root.output().object(root.client().post(path(id) + "/resume", null), COLUMNS);
    return ExitCodes.OK;
  }

  @Command(name = "delete", description = "Deletes a tenant, its database file and its tokens.")
  int delete(@Parameters(paramLabel = "ID") String id) {
    root.client().send("DELETE", path(id), null);
    root.output().message("Deleted tenant " + id, new JsonObject().put("id", id).put("deleted", true));
    return ExitCodes.OK;
  }

  private static String path(String id) {
    return "/admin/tenants/" + AdminClient.segment(id);
  }
}
