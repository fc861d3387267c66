package dev.silo.isolation;

import dev.silo.bus.Actions;
import dev.silo.bus.SiloClient;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

class BadInputTest {

  /** Text that must come back byte for byte: quotes, SQL, control characters, all Unicode planes. */
  private static final List<String> AWKWARD_TEXT = List.of(
    "O'Reilly \"quoted\" `back` \\ slash",
    "Robert'); DROP TABLE products;--",
    "1 OR 1=1; SELECT * FROM tenants",
    "tab\tnewline\ncarriage\rbell\u0007escape\u001b",
    "line\u2028separator\u2029paragraph",
    "Gr\u00fc\u00dfe \u65e5\u672c\u8a9e \u0639\u0631\u0628\u064a \u05e2\u05d1\u05e8\u05d9\u05ea",
    "emoji \ud83d\ude80\ud83c\udff3\ufe0f\u200d\ud83c\udf08 combining e\u0301",
    "\ufeffbyte order mark and \uffff noncharacter",
    "%s %d {} ${jndi:ldap} <script>alert(1)</script>");

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private String token;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
    silo.provision("acme");
    token = silo.tenantToken("acme");
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  @Test
  void awkwardTextRoundTripsOverHttp() {
    for (int i = 0; i < AWKWARD_TEXT.size(); i++) {
      String text = AWKWARD_TEXT.get(i);
      HttpResult created = silo.call("POST", "/api/products", token, null, new JsonObject()
        .put("sku", "AWK-" + i).put("name", text).put("unit_price_cents", 1).put("units_in_stock", 1));
      assertThat(created.status()).as("create %s", text).isEqualTo(201);

      HttpResult read = silo.call("GET", "/api/products/" + created.json().getLong("id"), token, null, null);

      assertThat(read.json().getString("name")).isEqualTo(text);
    }
  }

  @Test
  void awkwardTextRoundTripsOverEventBus() {
    SiloClient client = SiloClient.create(silo.vertx());
    for (int i = 0; i < AWKWARD_TEXT.size(); i++) {
      String text = AWKWARD_TEXT.get(i);
      await(client.createCustomer("acme", new JsonObject().put("id", "C" + i).put("company_name", text)
        .put("city", text)));

      JsonObject read = await(client.data("acme", Actions.CUSTOMERS_GET, new JsonObject().put("id", "C" + i)));

      assertThat(read.getString("company_name")).isEqualTo(text);
      assertThat(read.getString("city")).isEqualTo(text);
    }
  }

  @Test
  void invalidProductFieldsAreNamed() {
    JsonObject valid = new JsonObject().put("sku", "OK-1").put("name", "Fine").put("unit_price_cents", 100)
      .put("units_in_stock", 5);
    Map<String, JsonObject> cases = Map.of(
      "unit_price_cents", valid.copy().put("unit_price_cents", -1),
      "units_in_stock", valid.copy().put("units_in_stock", "ten"),
      "name", valid.copy().put("name", "x".repeat(10_000)),
      "sku", valid.copy().putNull("sku"),
      "discontinued", valid.copy().put("discontinued", "yes"));

    cases.forEach((field, body) -> {
      HttpResult result = silo.call("POST", "/api/products", token, null, body);

      assertThat(result.status()).as(field).isEqualTo(400);
      assertThat(result.errorCode()).as(field).isEqualTo("invalid_request");
      assertThat(result.json().getJsonObject("error").getString("message")).as(field).contains(field);
    });
    assertThat(silo.call("GET", "/api/products", token, null, null).items()).isEmpty();
  }

  @Test
  void invalidOrderLinesAreRejected() {
    long productId = silo.call("POST", "/api/products", token, null, new JsonObject()
      .put("sku", "P-1").put("name", "P").put("unit_price_cents", 100).put("units_in_stock", 5))
      .json().getLong("id");
    silo.call("POST", "/api/customers", token, null, new JsonObject().put("id", "C1").put("company_name", "C"));
    List<JsonObject> badLines = List.of(
      new JsonObject().put("product_id", productId).put("quantity", 0),
      new JsonObject().put("product_id", productId).put("quantity", -3),
      new JsonObject().put("product_id", productId).put("quantity", 1).put("unit_price_cents", -5),
      new JsonObject().put("product_id", productId).put("quantity", 1).put("discount_percent", 101),
      new JsonObject().put("product_id", 9999).put("quantity", 1));

    for (JsonObject line : badLines) {
      HttpResult result = silo.call("POST", "/api/orders", token, null,
        new JsonObject().put("customer_id", "C1").put("lines", new JsonArray().add(line)));

      assertThat(result.status()).as("line %s", line).isEqualTo(400);
      assertThat(result.json().getJsonObject("error").getString("message")).as("line %s", line).contains("lines[0]");
    }
    assertThat(silo.call("GET", "/api/products/" + productId, token, null, null).json().getLong("units_in_stock"))
      .isEqualTo(5);
  }

  @Test
  void misspelledFieldsAreRejected() {
    silo.call("POST", "/api/products", token, null, new JsonObject()
      .put("sku", "P-1").put("name", "P").put("unit_price_cents", 100).put("units_in_stock", 5));
    silo.call("POST", "/api/customers", token, null, new JsonObject().put("id", "C1").put("company_name", "C"));
    Map<String, HttpResult> results = Map.of(
      "unit_price_cent", silo.call("POST", "/api/products", token, null, new JsonObject()
        .put("sku", "P-2").put("name", "P").put("unit_price_cent", 100)),
      "discount_percnt", silo.call("POST", "/api/orders", token, null, new JsonObject().put("customer_id", "C1")
        .put("lines", new JsonArray().add(new JsonObject().put("product_id", 1).put("quantity", 1)
          .put("discount_percnt", 50)))),
      "plane", silo.admin("POST", "/admin/tenants", new JsonObject().put("id", "typo").put("name", "T")
        .put("plan", "p").put("plane", "gold")),
      "contact", silo.call("POST", "/api/import", token, null, new JsonObject()
        .put("customers", new JsonArray().add(new JsonObject().put("id", "C2").put("company_name", "C")
          .put("contact", "typo")))));

    results.forEach((field, result) -> {
      assertThat(result.status()).as(field).isEqualTo(400);
      assertThat(result.json().getJsonObject("error").getString("message")).as(field)
        .contains("unknown field '" + field + "'");
    });
    assertThat(silo.call("GET", "/api/orders", token, null, null).items()).isEmpty();
    assertThat(silo.admin("GET", "/admin/tenants/typo", null).status()).isEqualTo(404);
  }

  @Test
  void misspelledQueryParametersAreRejected() {
    Map<String, String> paths = Map.of(
      "stauts", "/api/orders?stauts=pending",
      "limt", "/api/products?limt=5",
      "aftr", "/api/customers?aftr=ALFKI",
      "verbose", "/api/products/1?verbose=true");
    Map<String, String> adminPaths = Map.of(
      "limt", "/admin/tenants?limt=2",
      "tenant", "/admin/tokens?tenant=acme",
      "aftr", "/admin/flags?aftr=a",
      "page", "/admin/settings?page=2");

    paths.forEach((field, path) -> {
      HttpResult result = silo.call("GET", path, token, null, null);

      assertThat(result.status()).as(path).isEqualTo(400);
      assertThat(result.json().getJsonObject("error").getString("message")).as(path)
        .contains("unknown field '" + field + "'");
    });
    adminPaths.forEach((field, path) -> {
      HttpResult result = silo.admin("GET", path, null);

      assertThat(result.status()).as(path).isEqualTo(400);
      assertThat(result.json().getJsonObject("error").getString("message")).as(path)
        .contains("unknown field '" + field + "'");
    });
    assertThat(silo.call("GET", "/api/orders?status=pending&limit=5", token, null, null).status()).isEqualTo(200);
    assertThat(silo.admin("GET", "/admin/tokens?tenant_id=acme&limit=5", null).status()).isEqualTo(200);
  }

  @Test
  void pagingOutOfRangeIsRejected() {
    for (String query : List.of("limit=0", "limit=1001", "limit=abc", "limit=-1", "after=-1", "after=abc")) {
      HttpResult result = silo.call("GET", "/api/products?" + query, token, null, null);

      assertThat(result.status()).as(query).isEqualTo(400);
      assertThat(result.errorCode()).as(query).isEqualTo("invalid_request");
    }
  }

  @Test
  void nulCharacterIsRejected() {
    HttpResult result = silo.call("POST", "/api/products", token, null, new JsonObject()
      .put("sku", "NUL-1").put("name", "a\u0000b").put("unit_price_cents", 1).put("units_in_stock", 1));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.json().getJsonObject("error").getString("message")).contains("name");
  }

  @Test
  void oversizedBodyIsRejectedBeforeParsing() {
    String huge = "{\"sku\": \"BIG\", \"name\": \"" + "x".repeat(9 * 1024 * 1024) + "\"}";

    HttpResult result = silo.call("POST", "/api/products", token, null, huge);

    assertThat(result.status()).isEqualTo(413);
    assertThat(result.errorCode()).isEqualTo("payload_too_large");
  }
}
