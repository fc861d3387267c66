package dev.silo.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking client of a running server's {@code /admin} API, for the admin commands.
 * A reply that is not a 2xx becomes a {@link CliException} with the exit code of its
 * status and the server's error message.
 */
final class AdminClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final String token;
  private final HttpClient http;

  AdminClient(URI base, String token) {
    this.base = base;
    this.token = token;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** Sends a request and returns the JSON reply, or {@code null} for 204. */
  JsonObject send(String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
      .timeout(REQUEST_TIMEOUT)
      .header("Authorization", "Bearer " + token)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = exchange(method, path, request.build());
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return response.statusCode() == 204 || response.body().isEmpty() ? null : parse(response);
    }
    throw new CliException(ExitCodes.forStatus(response.statusCode()), describeError(method, path, response));
  }

  JsonObject get(String path) {
    return send("GET", path, null);
  }

  JsonObject post(String path, JsonObject body) {
    return send("POST", path, body);
  }

  /** Reads every page of a list route, following its {@code next} cursor, and returns all items. */
  List<JsonObject> getAllPages(String path, int pageSize) {
    List<JsonObject> items = new ArrayList<>();
    String after = null;
    do {
      String query = "?limit=" + pageSize + (after == null ? "" : "&after=" + segment(after));
      JsonObject page = get(path + query);
      JsonArray pageItems = page.getJsonArray("items");
      for (int i = 0; i < pageItems.size(); i++) {
        items.add(pageItems.getJsonObject(i));
      }
      after = page.getString("next");
    } while (after != null);
    return items;
  }

  /** Returns a path segment with reserved characters percent-encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpResponse<String> exchange(String method, String path, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot connect to " + base + ": is the server running? "
        + "Set its address with --url or SILO_URL");
    } catch (HttpTimeoutException e) {
      throw new CliException(ExitCodes.FAILURE, method + " " + path + " timed out after " + REQUEST_TIMEOUT.toSeconds()
        + " s at " + base);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, method + " " + path + " failed at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.FAILURE, method + " " + path + " was interrupted");
    }
  }

  private static JsonObject parse(HttpResponse<String> response) {
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new CliException(ExitCodes.FAILURE, "the server replied with something other than a JSON object: "
        + abbreviate(response.body()));
    }
  }

  /** Returns the server's error message and code, or the status and body when the body is not Silo's error JSON. */
  private static String describeError(String method, String path, HttpResponse<String> response) {
    String prefix = method + " " + path + " failed with HTTP " + response.statusCode();
    try {
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      if (error != null) {
        return prefix + " (" + error.getString("code") + "): " + error.getString("message");
      }
    } catch (DecodeException | ClassCastException e) {
      // Not Silo's error body, for example a proxy's HTML page: show its start below.
    }
    return prefix + ": " + abbreviate(response.body());
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
