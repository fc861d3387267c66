package dev.silo.http;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;

/** Reads the JSON request of an API route from its body, path and query. Call it on the event loop. */
final class RequestBodies {

  /**
   * Bodies larger than this are parsed on a worker thread. On a 2-core machine an 8 MiB
   * import document took 140 to 210 ms to parse, which would hold up every other request
   * of the event loop. The 430 KB Northwind document took 3.7 ms, so a body under this
   * size costs an estimated half a millisecond, less than the hop to a worker is worth.
   */
  static final int WORKER_PARSE_BYTES = 64 * 1024;

  private RequestBodies() {
  }

  /**
   * Builds the action's request: the JSON body, then the path parameters (which win),
   * then query parameters for fields the body does not set. The future completes on the
   * request's context.
   */
  static Future<JsonObject> requestOf(Vertx vertx, RoutingContext ctx) {
    return parse(vertx, ctx.body().buffer()).map(request -> withParameters(request, ctx));
  }

  /**
   * Parses a body as a JSON object, an empty one when there is no body: at once when it
   * is small, on a worker thread when it is over {@link #WORKER_PARSE_BYTES}.
   */
  static Future<JsonObject> parse(Vertx vertx, Buffer body) {
    if (body != null && body.length() > WORKER_PARSE_BYTES) {
      return vertx.executeBlocking(() -> parseBody(body), false);
    }
    try {
      return Future.succeededFuture(parseBody(body));
    } catch (SiloException e) {
      return Future.failedFuture(e);
    }
  }

  private static JsonObject withParameters(JsonObject request, RoutingContext ctx) {
    for (Map.Entry<String, String> param : ctx.pathParams().entrySet()) {
      request.put(param.getKey(), param.getValue());
    }
    for (Map.Entry<String, String> param : ctx.queryParams()) {
      if (!request.containsKey(param.getKey())) {
        request.put(param.getKey(), param.getValue());
      }
    }
    return request;
  }

  /**
   * Rejects a body declared as anything but JSON before the body handler reads it. The
   * body handler would otherwise decode a form body (what {@code curl -d} sends by
   * default) and fail with an unclear error; a body without a Content-Type is read as JSON.
   */
  static void requireJsonContentType(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || isJson(contentType)) {
      ctx.next();
      return;
    }
    ctx.fail(new SiloException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON: send it with "
      + "'Content-Type: application/json' (this request declared '" + contentType.split(";")[0].trim() + "')"));
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private static JsonObject parseBody(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw SiloException.invalid("the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject)) {
      throw SiloException.invalid("the body must be a JSON object");
    }
    return (JsonObject) parsed;
  }
}
