package dev.silo.bus;

import java.util.List;

/** Action names of the {@code silo.data} and {@code silo.admin} addresses. */
public final class Actions {

  public static final String PRODUCTS_LIST = "products.list";
  public static final String PRODUCTS_GET = "products.get";
  public static final String PRODUCTS_CREATE = "products.create";
  public static final String PRODUCTS_UPDATE = "products.update";
  public static final String PRODUCTS_DELETE = "products.delete";
  public static final String CUSTOMERS_LIST = "customers.list";
  public static final String CUSTOMERS_GET = "customers.get";
  public static final String CUSTOMERS_CREATE = "customers.create";
  public static final String ORDERS_LIST = "orders.list";
  public static final String ORDERS_PENDING = "orders.pending";
  public static final String ORDERS_GET = "orders.get";
  public static final String ORDERS_CREATE = "orders.create";
  public static final String ORDERS_SHIP = "orders.ship";
  public static final String ORDERS_CANCEL = "orders.cancel";
  public static final String INVOICES_LIST = "invoices.list";
  public static final String INVOICES_GET = "invoices.get";
  public static final String INVOICES_CREATE = "invoices.create";
  public static final String INVOICES_PAY = "invoices.pay";
  public static final String IMPORT = "import";
  public static final String FLAGS_EVALUATE = "flags.evaluate";

  public static final String TENANTS_PROVISION = "tenants.provision";
  public static final String TENANTS_LIST = "tenants.list";
  public static final String TENANTS_GET = "tenants.get";
  public static final String TENANTS_SUSPEND = "tenants.suspend";
  public static final String TENANTS_RESUME = "tenants.resume";
  public static final String TENANTS_DELETE = "tenants.delete";
  public static final String TENANTS_MIGRATE = "tenants.migrate";
  public static final String TOKENS_CREATE = "tokens.create";
  public static final String TOKENS_LIST = "tokens.list";
  public static final String TOKENS_REVOKE = "tokens.revoke";
  public static final String USERS_CREATE = "users.create";
  public static final String MIGRATIONS_START = "migrations.start";
  public static final String MIGRATIONS_GET = "migrations.get";
  /** Sent by the server once it is up: goes on with a migrate-all job a stop interrupted. */
  public static final String MIGRATIONS_RESUME = "migrations.resume";
  public static final String BACKUPS_CREATE = "backups.create";
  public static final String BACKUPS_LIST = "backups.list";
  public static final String BACKUPS_RESTORE = "backups.restore";
  public static final String FLAGS_LIST = "flags.list";
  public static final String FLAGS_PUT = "flags.put";
  public static final String SETTINGS_LIST = "settings.list";
  public static final String SETTINGS_PUT = "settings.put";

  /** Replies while the admin verticle is up; {@code /ready} sends it. */
  public static final String PING = "ping";

  /** Pool command on a data verticle's control address: close the pool of a tenant. */
  public static final String POOL_CLOSE = "pool.close";

  /**
   * Pool command on a data verticle's control address: close the pool of a tenant if it is
   * idle, to free a slot of the pool budget. Replies {@code {"evicted": true}} once the pool
   * is closed, or {@code {"evicted": false}} when it serves a request.
   */
  public static final String POOL_EVICT = "pool.evict";

  /**
   * Pool command: close the pool of a tenant like {@link #POOL_CLOSE} and keep it closed,
   * so requests fail with {@code unavailable}, until {@link #POOL_RELEASE}.
   */
  public static final String POOL_HOLD = "pool.hold";

  /** Pool command: end a {@link #POOL_HOLD}, so that the next request opens the pool again. */
  public static final String POOL_RELEASE = "pool.release";

  /** Admin actions that only read; they do not wait behind lifecycle changes. */
  public static final List<String> ADMIN_READS = List.of(TENANTS_LIST, TENANTS_GET, TOKENS_LIST, MIGRATIONS_GET,
    BACKUPS_LIST, FLAGS_LIST, SETTINGS_LIST, PING);

  private Actions() {
  }
}
