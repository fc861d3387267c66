package dev.silo.logging;

import dev.silo.testing.CapturedLogLines;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogLinesTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
    silo.provision("acme");
    token = silo.tenantToken("acme");
    CapturedLogLines.clear();
  }

  @AfterEach
  void stop() {
    SiloLayout.useJson(false);
    silo.close();
  }

  @Test
  void requestLinesCarryRequestAndTenant() throws Exception {
    HttpResult imported = send("POST", "/api/import", "req-import-1", new JsonObject()
      .put("customers", new JsonArray().add(new JsonObject().put("id", "C1").put("company_name", "C"))));

    assertThat(imported.status()).isEqualTo(200);
    assertThat(imported.headers().firstValue("X-Request-ID")).hasValue("req-import-1");
    // The import summary is written by the data verticle, the access line by the HTTP verticle.
    String access = awaitAccessLine("req-import-1");
    assertThat(access).contains("POST /api/import 200").contains("[req-import-1 acme]");
    assertThat(linesWith("req-import-1"))
      .anySatisfy(line -> assertThat(line).contains("Imported").contains("[req-import-1 acme]"));
  }

  @Test
  void poolCloseLineCarriesAdminRequest() throws Exception {
    send("GET", "/api/products", "req-open", null);
    awaitAccessLine("req-open");

    HttpResult suspended = send("POST", "/admin/tenants/acme/suspend", "req-suspend-1",
      new JsonObject().put("reason", "check"), SiloTestServer.ADMIN_TOKEN);

    assertThat(suspended.status()).isEqualTo(200);
    awaitAccessLine("req-suspend-1");
    assertThat(linesWith("Closed pool of tenant acme"))
      .singleElement().satisfies(line -> assertThat(line).contains("[req-suspend-1 acme]"));
  }

  @Test
  void linesOfOtherWorkCarryNoRequest() throws Exception {
    send("GET", "/api/products", "req-first", null);
    awaitAccessLine("req-first");
    CapturedLogLines.clear();

    silo.admin("POST", "/admin/tenants/acme/suspend", new JsonObject().put("reason", "check"));

    assertThat(CapturedLogLines.lines()).isNotEmpty().noneMatch(line -> line.contains("req-first"));
  }

  @Test
  void generatedRequestIdIsEchoed() throws Exception {
    HttpResult result = send("GET", "/api/products", "bad id with spaces", null);

    String requestId = result.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(requestId).doesNotContain(" ").isNotEmpty();
    assertThat(awaitAccessLine(requestId)).contains("GET /api/products 200");
  }

  @Test
  void jsonLinesCarrySameFields() throws Exception {
    SiloLayout.useJson(true);

    send("GET", "/api/products", "req-json-1", null);

    JsonObject access = new JsonObject(awaitAccessLine("req-json-1"));
    assertThat(access.getString("request_id")).isEqualTo("req-json-1");
    assertThat(access.getString("tenant_id")).isEqualTo("acme");
    assertThat(access.getString("level")).isEqualTo("INFO");
    assertThat(access.getString("message")).startsWith("GET /api/products 200");
  }

  @Test
  void tokensNeverReachLog() throws Exception {
    send("GET", "/api/products", "req-token", null);
    awaitAccessLine("req-token");
    silo.call("GET", "/api/products", "silo_wrong-token-value", null, null);
    String created = silo.admin("POST", "/admin/users", new JsonObject().put("name", "Ada").put("role", "admin"))
      .json().getString("token");

    assertThat(CapturedLogLines.lines()).isNotEmpty().allSatisfy(line -> {
      assertThat(line).doesNotContain(token);
      assertThat(line).doesNotContain(created);
      assertThat(line).doesNotContain("silo_wrong-token-value");
      assertThat(line).doesNotContain(SiloTestServer.ADMIN_TOKEN);
    });
  }

  /**
   * Returns the access line of a request. It is written when the response ends, which
   * can be just after the client has read the response, so this polls with a deadline.
   */
  private static String awaitAccessLine(String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (true) {
      var line = CapturedLogLines.lines().stream()
        .filter(text -> text.contains("dev.silo.access") && text.contains(requestId)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no access line for request " + requestId + " in " + CapturedLogLines.lines());
      }
      Thread.sleep(10);
    }
  }

  private List<String> linesWith(String text) {
    return CapturedLogLines.lines().stream().filter(line -> line.contains(text)).toList();
  }

  private HttpResult send(String method, String path, String requestId, JsonObject body) throws Exception {
    return send(method, path, requestId, body, token);
  }

  private HttpResult send(String method, String path, String requestId, JsonObject body, String bearer)
    throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silo.port() + path))
      .header("Authorization", "Bearer " + bearer)
      .header("X-Request-ID", requestId)
      .header("Content-Type", "application/json")
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new HttpResult(response.statusCode(), response.headers(), response.body());
  }
}
