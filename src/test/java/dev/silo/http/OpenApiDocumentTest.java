package dev.silo.http;

import dev.silo.config.SiloOptions;
import dev.silo.metrics.SiloMetrics;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TokenCache;
import dev.silo.tenant.SqliteSettings;
import dev.silo.testing.SiloTestServer;
import dev.silo.util.Drain;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@code GET /openapi.json} against the routes of a real {@link HttpVerticle}'s
 * router, so a route added without documentation, or documentation of a route that is
 * gone, fails the build.
 */
class OpenApiDocumentTest {

  private static final Set<String> OPERATION_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final Pattern PATH_PARAMETER = Pattern.compile(":([A-Za-z0-9_]+)");
  private static final Pattern REFERENCE = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/([^\"]+)\"");

  @TempDir
  Path dir;

  private Vertx vertx;
  private SystemDatabase database;
  private HttpVerticle verticle;

  @BeforeEach
  void deploy() throws Exception {
    SiloOptions options = SiloOptions.defaults()
      .with(SiloOptions.HTTP_HOST, "127.0.0.1")
      .with(SiloOptions.HTTP_PORT, 0)
      .with(SiloOptions.DATA_DIR, dir.toString());
    vertx = SiloTestServer.newVertx();
    database = SystemDatabase.open(vertx, dir, new SqliteSettings(options), 2);
    verticle = HttpVerticle.factory(options, database, new TokenCache(), SiloMetrics.of(options), new Drain()).get();
    SiloTestServer.await(vertx.deployVerticle(verticle));
  }

  @AfterEach
  void close() {
    SiloTestServer.await(vertx.close().eventually(() -> database.close(vertx)));
  }

  @Test
  void documentListsExactlyRouterRoutes() throws Exception {
    JsonObject document = fetchDocument().json;

    Set<String> documented = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (OPERATION_METHODS.contains(method)) {
          documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }

    assertThat(routerEndpoints()).as("routes of the router").isNotEmpty();
    assertThat(documented).as("operations in openapi.json").containsExactlyElementsOf(routerEndpoints());
  }

  @Test
  void routeTableIsInRouter() {
    Set<String> table = new TreeSet<>();
    List<ApiRoute> routes = new ArrayList<>(ApiRoutes.ADMIN);
    routes.addAll(ApiRoutes.DATA);
    routes.forEach(route -> table.add(route.method().name() + " " + PATH_PARAMETER.matcher(route.path()).replaceAll("{$1}")));

    assertThat(routerEndpoints()).containsAll(table)
      .contains("GET /health", "GET /ready", "GET /metrics", "GET /openapi.json");
  }

  @Test
  void documentServedWithoutToken() throws Exception {
    Fetched fetched = fetchDocument();

    assertThat(fetched.status).isEqualTo(200);
    assertThat(fetched.contentType).isEqualTo("application/json");
    assertThat(fetched.json.getString("openapi")).startsWith("3.");
    assertThat(fetched.json.getJsonObject("components").getJsonObject("securitySchemes")
      .getJsonObject("bearer").getString("scheme")).isEqualTo("bearer");
  }

  @Test
  void everyReferenceResolves() throws Exception {
    Fetched fetched = fetchDocument();

    Matcher matcher = REFERENCE.matcher(fetched.body);
    List<String> unresolved = new ArrayList<>();
    int count = 0;
    while (matcher.find()) {
      count++;
      Object target = fetched.json;
      for (String part : matcher.group(1).split("/")) {
        target = target instanceof JsonObject ? ((JsonObject) target).getValue(part) : null;
      }
      if (target == null) {
        unresolved.add(matcher.group(1));
      }
    }

    assertThat(count).as("references in the document").isGreaterThan(50);
    assertThat(unresolved).as("references without a target").isEmpty();
  }

  @Test
  void everyOperationDocumentsErrors() throws Exception {
    JsonObject paths = fetchDocument().json.getJsonObject("paths");

    for (String path : paths.fieldNames()) {
      if (!path.startsWith("/admin/") && !path.startsWith("/api/")) {
        continue;
      }
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        assertThat(responses.fieldNames()).as("%s %s", method, path).contains("401", "403");
      }
    }
  }

  @Test
  void metricsDisabledGivesNotFound() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + verticle.actualPort() + HttpVerticle.METRICS_PATH)).GET().build();

    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
      .send(request, HttpResponse.BodyHandlers.ofString());

    // This Vert.x instance was created without metrics options.
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message"))
      .contains("metrics are not enabled");
  }

  /** Returns "METHOD /path/{param}" for every route of the router that has a method and an exact path. */
  private Set<String> routerEndpoints() {
    Set<String> endpoints = new TreeSet<>();
    for (Route route : verticle.router().getRoutes()) {
      if (route.methods() == null || route.methods().isEmpty() || route.getPath() == null) {
        continue;
      }
      String path = PATH_PARAMETER.matcher(route.getPath()).replaceAll("{$1}");
      for (HttpMethod method : route.methods()) {
        endpoints.add(method.name() + " " + path);
      }
    }
    return endpoints;
  }

  private record Fetched(int status, String contentType, String body, JsonObject json) {
  }

  private Fetched fetchDocument() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + verticle.actualPort() + OpenApiDocument.PATH)).GET().build();
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    return new Fetched(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
      response.body(), new JsonObject(response.body()));
  }
}
