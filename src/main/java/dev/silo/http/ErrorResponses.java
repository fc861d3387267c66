package dev.silo.http;

import dev.silo.bus.SiloReplyException;
import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path that turns failures into the JSON error body
 * {@code {"error": {"code", "message"}}}. SQL text and stack traces go to the log only.
 */
final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** Seconds a client should wait before retrying a 503. */
  static final String RETRY_AFTER_SECONDS = "1";

  private ErrorResponses() {
  }

  /** Sends the error of {@code ctx.failure()}, or of the status code when there is none; the router's failure handler. */
  static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      LOG.warn("{} {} failed after the response started", ctx.request().method(), ctx.request().path(), ctx.failure());
      ctx.response().reset();
      return;
    }
    send(ctx.response(), toSiloException(ctx));
  }

  static void send(HttpServerResponse response, SiloException error) {
    ErrorCode code = error.code();
    if (code.status() == 503) {
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    JsonObject body = new JsonObject().put("error",
      new JsonObject().put("code", code.code()).put("message", error.getMessage()));
    response.setStatusCode(code.status())
      .putHeader("Content-Type", "application/json")
      .end(body.toBuffer());
  }

  private static SiloException toSiloException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    SiloException known = failure == null ? null : SiloReplyException.toSiloException(failure);
    if (known != null) {
      return known;
    }
    switch (ctx.statusCode()) {
      case 400:
        return SiloException.invalid("the request is malformed");
      case 404:
        return SiloException.notFound("no route matches " + ctx.request().method() + " " + ctx.request().path());
      case 405:
        return new SiloException(ErrorCode.METHOD_NOT_ALLOWED,
          "method " + ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413:
        return new SiloException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the server accepts");
      default:
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        return new SiloException(ErrorCode.INTERNAL_ERROR,
          "the server failed to complete the request; the error is in its log");
    }
  }
}
