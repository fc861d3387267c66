package dev.silo.tenant;

import dev.silo.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.function.Supplier;

/**
 * Runs a piece of work for one tenant on a fresh duplicated context that carries the
 * tenant, and leaves the caller's context as it was.
 * <p>
 * The work starts synchronously on the calling thread, which must be a Vert.x thread.
 * Every step that the work composes runs on the new context, so
 * {@link TenantContext#current()} returns the tenant in all of them. The returned future completes on
 * the caller's context, which never carries the tenant.
 */
public final class TenantScope {

  private TenantScope() {
  }

  /**
   * Runs {@code work} with {@code tenant} as the current tenant.
   *
   * @return the work's result, completed on the caller's context
   */
  public static <T> Future<T> call(Vertx vertx, TenantContext tenant, Supplier<Future<T>> work) {
    ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
    // duplicate() on a duplicated context starts with no locals, so nothing of the caller's
    // request leaks into the tenant's work.
    ContextInternal scoped = caller.duplicate();
    TenantContext.bind(scoped, tenant);
    LogContext outer = LogContext.current();
    LogContext.bind(scoped, new LogContext(outer == null ? null : outer.requestId(), tenant.tenantId()));
    Promise<T> result = caller.promise();
    scoped.dispatch(v -> {
      Future<T> future;
      try {
        future = work.get();
      } catch (RuntimeException e) {
        future = Future.failedFuture(e);
      }
      future.onComplete(result);
    });
    return result.future();
  }
}
