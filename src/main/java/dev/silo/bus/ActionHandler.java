package dev.silo.bus;

import dev.silo.util.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * One action of an event-bus address, such as {@code orders.create} on {@code silo.data}
 * or {@code tenants.provision} on {@code silo.admin}.
 * <p>
 * Data actions run in a {@link dev.silo.tenant.TenantScope}, so the repositories they
 * call find the tenant's pool in the Vert.x context.
 */
@FunctionalInterface
public interface ActionHandler {

  /**
   * Runs the action.
   *
   * @param request the JSON body of the message; HTTP routes put their path and query
   *                parameters into it as fields
   * @return the reply body, or {@code null} for an empty reply
   */
  Future<JsonObject> handle(JsonObject request);

  /**
   * Returns a handler that rejects a request with a field outside {@code fields}, with
   * {@code invalid_request} naming it, before {@code handler} runs. Query parameters of
   * HTTP routes arrive as fields, so a misspelled {@code ?stauts=pending} gets 400 instead
   * of being ignored.
   */
  static ActionHandler accepting(Set<String> fields, ActionHandler handler) {
    return request -> {
      Fields.rejectUnknown(request, fields);
      return handler.handle(request);
    };
  }
}
