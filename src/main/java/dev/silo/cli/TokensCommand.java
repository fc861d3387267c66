package dev.silo.cli;

import dev.silo.cli.Output.Column;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code tokens create}. */
@Command(name = "tokens", description = "Creates tenant tokens.")
final class TokensCommand extends CommandGroup {

  private static final List<Column> COLUMNS = List.of(new Column("TENANT", "tenant_id"), new Column("ID", "id"),
    new Column("NAME", "name"), new Column("TOKEN", "token"));

  @Command(name = "create", description = "Creates a token bound to a tenant and prints its secret, which is shown only once.")
  int create(@Parameters(paramLabel = "TENANT", description = "tenant id") String tenantId,
             @Option(names = "--name", defaultValue = "cli", paramLabel = "NAME", description = "name of the token (default: ${DEFAULT-VALUE})")
             String name) {
    JsonObject token = root.client().post("/admin/tenants/" + AdminClient.segment(tenantId) + "/tokens",
      new JsonObject().put("name", name));
    root.output().object(token, COLUMNS);
    return ExitCodes.OK;
  }
}
