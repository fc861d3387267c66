package dev.silo.http;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;

/** Reads the JSON request of an API route from its body, path and query. Runs on the event loop. */
final class RequestBodies {

  private RequestBodies() {
  }

  /**
   * Builds the action's request: the JSON body, then the path parameters (which win),
   * then query parameters for fields the body does not set.
   */
  static JsonObject requestOf(RoutingContext ctx) {
    // NOTE: the body is parsed on the event loop. A body near the 8 MiB default limit may
    // hold up other requests of that loop while it parses; not measured yet.
    JsonObject request = parseBody(ctx.body().buffer());
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
