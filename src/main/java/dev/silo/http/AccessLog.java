package dev.silo.http;

import dev.silo.logging.LogContext;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives each request an id and writes one access log line when its response ends:
 * method, route template, status, bytes sent and duration. Lines go to the logger
 * {@code dev.silo.access}, at WARN for 5xx and INFO otherwise, and never contain a
 * token or a query string.
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("dev.silo.access");

  /** Request header with the client's request id, echoed in the response. */
  static final String REQUEST_ID_HEADER = "X-Request-ID";
  /** Routing-context key of the matched route template, set by the dispatching handler. */
  static final String ROUTE = "silo.route";

  /** A client's request id is used as it is only when it is short and plain. */
  private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private AccessLog() {
  }

  static void handle(RoutingContext ctx) {
    String clientId = ctx.request().getHeader(REQUEST_ID_HEADER);
    String requestId = clientId != null && VALID_REQUEST_ID.matcher(clientId).matches() ? clientId : newRequestId();
    // HTTP requests run on a duplicated context of their own, so the id stays with this request.
    LogContext.bind(Vertx.currentContext(), new LogContext(requestId, null));
    ctx.response().putHeader(REQUEST_ID_HEADER, requestId);
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> write(ctx, start));
    ctx.next();
  }

  /** Returns a random 16-digit hex id; it needs to be unique in the logs, not secret, so no SecureRandom. */
  private static String newRequestId() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }

  /** Records the tenant of the request for the log lines written after this point. */
  static void tenant(String tenantId) {
    LogContext current = LogContext.current();
    if (current != null) {
      LogContext.bind(Vertx.currentContext(), current.withTenant(tenantId));
    }
  }

  private static void write(RoutingContext ctx, long startNanos) {
    int status = ctx.response().getStatusCode();
    String route = ctx.get(ROUTE) != null ? ctx.get(ROUTE) : "-";
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    String format = "{} {} {} {} bytes {} ms";
    Object[] values = {ctx.request().method(), route, status, ctx.response().bytesWritten(), millis};
    if (status >= 500) {
      LOG.warn(format, values);
    } else {
      LOG.info(format, values);
    }
  }
}
