package dev.silo.data;

import dev.silo.bus.ActionHandler;
import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.system.FeatureFlag;
import dev.silo.system.FeatureFlags;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TenantRecord;
import dev.silo.system.TenantRegistry;
import dev.silo.tenant.TenantContext;
import dev.silo.util.Blocking;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;

/**
 * The {@code flags.evaluate} action: every feature flag, evaluated for the calling
 * tenant as {@link FeatureFlag#isOnFor} states, in the reply
 * {@code {"flags": {"<name>": true | false, ...}}}.
 * <p>
 * Runs on the owning data verticle's worker thread, inside the tenant's scope, and reads
 * the flags and the tenant's plan from the system database with blocking JDBC.
 */
public final class FlagEvaluation implements ActionHandler {

  private final SystemDatabase systemDatabase;

  public FlagEvaluation(SystemDatabase systemDatabase) {
    this.systemDatabase = systemDatabase;
  }

  @Override
  public Future<JsonObject> handle(JsonObject request) {
    String tenantId = TenantContext.current().tenantId();
    return Blocking.call(() -> evaluate(tenantId));
  }

  private JsonObject evaluate(String tenantId) throws SQLException {
    return systemDatabase.withConnection(c -> {
      TenantRecord tenant = TenantRegistry.find(c, tenantId).orElseThrow(
        () -> new SiloException(ErrorCode.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist"));
      JsonObject flags = new JsonObject();
      for (FeatureFlag flag : FeatureFlags.all(c)) {
        flags.put(flag.name(), flag.isOnFor(tenant.id(), tenant.plan()));
      }
      return new JsonObject().put("flags", flags);
    });
  }
}
