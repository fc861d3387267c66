package dev.silo.tenant;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.logging.LogContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;

import java.util.Objects;

/**
 * The tenant that the current piece of work serves, stored in the Vert.x context (a
 * {@link ContextLocal}), never in a thread local.
 * <p>
 * A value is bound to one duplicated context by {@link TenantScope}. Repositories call
 * {@link #current()} to get the tenant's pool, so no caller can hand them the pool of
 * another tenant.
 * <p>
 * {@link #register()} must run before the first {@link Vertx} instance of the process is
 * created: a {@code ContextLocal} registered later cannot be used on an existing instance.
 */
public final class TenantContext {

  private static final ContextLocal<TenantContext> LOCAL = ContextLocal.registerLocal(TenantContext.class);

  private final String tenantId;
  private final TenantPool pool;

  /** @param pool the tenant's open pool, or {@code null} for work that needs no database */
  public TenantContext(String tenantId, TenantPool pool) {
    this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
    this.pool = pool;
  }

  /**
   * Registers the context local. Call it before the first {@code Vertx} is created; later
   * calls do nothing.
   */
  public static void register() {
    // Loading this class registers LOCAL; the log context is registered at the same time.
    LogContext.register();
  }

  public String tenantId() {
    return tenantId;
  }

  /** Returns the tenant's pool; only use it for work of this tenant. */
  public TenantPool pool() {
    if (pool == null) {
      throw new IllegalStateException("no pool is bound for tenant " + tenantId);
    }
    return pool;
  }

  /** Returns the tenant of the current Vert.x context, or {@code null} when it has none. */
  public static TenantContext currentOrNull() {
    Context context = Vertx.currentContext();
    return context == null ? null : LOCAL.get(context);
  }

  /**
   * Returns the tenant of the current Vert.x context.
   *
   * @throws SiloException with {@link ErrorCode#TENANT_REQUIRED} when the context carries no tenant
   */
  public static TenantContext current() {
    TenantContext tenant = currentOrNull();
    if (tenant == null) {
      throw new SiloException(ErrorCode.TENANT_REQUIRED, "this operation needs a tenant");
    }
    return tenant;
  }

  static void bind(Context duplicatedContext, TenantContext tenant) {
    LOCAL.put(duplicatedContext, tenant);
  }

  @Override
  public String toString() {
    return "TenantContext[" + tenantId + "]";
  }
}
