package dev.silo.http;

import dev.silo.bus.Actions;

import java.util.List;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

/** The HTTP API, one line per route. Path parameters become fields of the action's request. */
final class ApiRoutes {

  static final List<ApiRoute> ADMIN = List.of(
    new ApiRoute(POST, "/admin/tenants", Target.ADMIN, Actions.TENANTS_PROVISION, 201),
    new ApiRoute(GET, "/admin/tenants", Target.ADMIN, Actions.TENANTS_LIST, 200),
    new ApiRoute(GET, "/admin/tenants/:id", Target.ADMIN, Actions.TENANTS_GET, 200),
    new ApiRoute(DELETE, "/admin/tenants/:id", Target.ADMIN, Actions.TENANTS_DELETE, 204),
    new ApiRoute(POST, "/admin/tenants/:id/suspend", Target.ADMIN, Actions.TENANTS_SUSPEND, 200),
    new ApiRoute(POST, "/admin/tenants/:id/resume", Target.ADMIN, Actions.TENANTS_RESUME, 200),
    new ApiRoute(POST, "/admin/tenants/:id/tokens", Target.ADMIN, Actions.TOKENS_CREATE, 201),
    new ApiRoute(POST, "/admin/tenants/:id/backups", Target.ADMIN, Actions.BACKUPS_CREATE, 201),
    new ApiRoute(GET, "/admin/tenants/:id/backups", Target.ADMIN, Actions.BACKUPS_LIST, 200),
    new ApiRoute(POST, "/admin/tenants/:id/restore", Target.ADMIN, Actions.BACKUPS_RESTORE, 200),
    new ApiRoute(GET, "/admin/tokens", Target.ADMIN, Actions.TOKENS_LIST, 200),
    new ApiRoute(DELETE, "/admin/tokens/:id", Target.ADMIN, Actions.TOKENS_REVOKE, 204),
    new ApiRoute(POST, "/admin/users", Target.ADMIN, Actions.USERS_CREATE, 201),
    new ApiRoute(POST, "/admin/migrations", Target.ADMIN, Actions.MIGRATIONS_START, 202),
    new ApiRoute(GET, "/admin/migrations/:id", Target.ADMIN, Actions.MIGRATIONS_GET, 200),
    new ApiRoute(GET, "/admin/flags", Target.ADMIN, Actions.FLAGS_LIST, 200),
    new ApiRoute(PUT, "/admin/flags/:name", Target.ADMIN, Actions.FLAGS_PUT, 200),
    new ApiRoute(GET, "/admin/settings", Target.ADMIN, Actions.SETTINGS_LIST, 200),
    new ApiRoute(PUT, "/admin/settings/:key", Target.ADMIN, Actions.SETTINGS_PUT, 200));

  static final List<ApiRoute> DATA = List.of(
    new ApiRoute(GET, "/api/products", Target.DATA, Actions.PRODUCTS_LIST, 200),
    new ApiRoute(POST, "/api/products", Target.DATA, Actions.PRODUCTS_CREATE, 201),
    new ApiRoute(GET, "/api/products/:id", Target.DATA, Actions.PRODUCTS_GET, 200),
    new ApiRoute(PUT, "/api/products/:id", Target.DATA, Actions.PRODUCTS_UPDATE, 200),
    new ApiRoute(DELETE, "/api/products/:id", Target.DATA, Actions.PRODUCTS_DELETE, 204),
    new ApiRoute(GET, "/api/customers", Target.DATA, Actions.CUSTOMERS_LIST, 200),
    new ApiRoute(POST, "/api/customers", Target.DATA, Actions.CUSTOMERS_CREATE, 201),
    new ApiRoute(GET, "/api/customers/:id", Target.DATA, Actions.CUSTOMERS_GET, 200),
    new ApiRoute(GET, "/api/orders", Target.DATA, Actions.ORDERS_LIST, 200),
    new ApiRoute(POST, "/api/orders", Target.DATA, Actions.ORDERS_CREATE, 201),
    new ApiRoute(GET, "/api/orders/:id", Target.DATA, Actions.ORDERS_GET, 200),
    new ApiRoute(POST, "/api/orders/:id/ship", Target.DATA, Actions.ORDERS_SHIP, 200),
    new ApiRoute(POST, "/api/orders/:id/cancel", Target.DATA, Actions.ORDERS_CANCEL, 200),
    new ApiRoute(GET, "/api/invoices", Target.DATA, Actions.INVOICES_LIST, 200),
    new ApiRoute(POST, "/api/invoices", Target.DATA, Actions.INVOICES_CREATE, 201),
    new ApiRoute(GET, "/api/invoices/:id", Target.DATA, Actions.INVOICES_GET, 200),
    new ApiRoute(POST, "/api/invoices/:id/pay", Target.DATA, Actions.INVOICES_PAY, 200),
    new ApiRoute(POST, "/api/import", Target.DATA, Actions.IMPORT, 200),
    new ApiRoute(GET, "/api/flags", Target.DATA, Actions.FLAGS_EVALUATE, 200));

  private ApiRoutes() {
  }
}
