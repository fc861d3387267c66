package dev.silo.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The request id and tenant id that log lines written for a request carry, stored in the
 * request's Vert.x context (a {@link ContextLocal}), never in a thread-local MDC that
 * would leak into the next task of the same thread.
 * <p>
 * {@link #register()} must run before the first {@code Vertx} instance is created.
 *
 * @param requestId the request id, from {@code X-Request-ID} or generated
 * @param tenantId  the tenant the request acts on, or {@code null} before it is known
 */
public record LogContext(String requestId, String tenantId) {

  private static final ContextLocal<LogContext> LOCAL = ContextLocal.registerLocal(LogContext.class);

  /** Registers the context local; loading this class does it. */
  public static void register() {
    // Loading this class registers LOCAL.
  }

  /** Returns the log context of the current Vert.x context, or {@code null}. */
  public static LogContext current() {
    Context context = Vertx.currentContext();
    return context == null ? null : LOCAL.get(context);
  }

  /** Stores {@code value} in {@code context}, which must be a duplicated context of one request. */
  public static void bind(Context context, LogContext value) {
    LOCAL.put(context, value);
  }

  /** Returns a copy naming {@code tenant}. */
  public LogContext withTenant(String tenant) {
    return new LogContext(requestId, tenant);
  }
}
