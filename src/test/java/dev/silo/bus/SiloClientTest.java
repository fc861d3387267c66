package dev.silo.bus;

import dev.silo.error.SiloException;
import dev.silo.testing.SiloTestServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiloClientTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;
  private SiloClient client;

  @BeforeEach
  void start() {
    silo = SiloTestServer.start(dir);
    client = SiloClient.create(silo.vertx());
    await(client.admin(Actions.TENANTS_PROVISION,
      new JsonObject().put("id", "acme").put("name", "Acme").put("plan", "pro")));
  }

  @AfterEach
  void stop() {
    silo.close();
  }

  /** A verticle deployed beside Silo that takes orders through the client. */
  static final class ShopVerticle extends VerticleBase {

    final List<JsonObject> results = new ArrayList<>();

    @Override
    public Future<?> start() {
      SiloClient shop = SiloClient.create(vertx);
      return shop.createProduct("acme", new JsonObject()
          .put("sku", "TEA-1").put("name", "Green tea").put("unit_price_cents", 450).put("units_in_stock", 20))
        .compose(product -> shop.createCustomer("acme", new JsonObject()
            .put("id", "ALFKI").put("company_name", "Alfreds Futterkiste").put("city", "Berlin").put("country", "Germany"))
          .map(customer -> product))
        .compose(product -> shop.createOrder("acme", new JsonObject()
          .put("customer_id", "ALFKI")
          .put("freight_cents", 100)
          .put("lines", new JsonArray().add(new JsonObject()
            .put("product_id", product.getValue("id")).put("quantity", 3).put("discount_percent", 10)))))
        .compose(order -> {
          results.add(order);
          return shop.getOrder("acme", order.getLong("id"));
        })
        .compose(order -> {
          results.add(order);
          return shop.pendingOrders("acme", 10, null);
        })
        .onSuccess(results::add);
    }
  }

  @Test
  void coDeployedVerticleCreatesAndReadsOrders() {
    ShopVerticle shop = new ShopVerticle();

    await(silo.vertx().deployVerticle(shop));

    JsonObject created = shop.results.get(0);
    JsonObject read = shop.results.get(1);
    JsonObject pending = shop.results.get(2);
    // 3 x 450 = 1350, minus 10 % = 1215, plus 100 freight.
    assertThat(created.getLong("total_cents")).isEqualTo(1315);
    assertThat(created.getString("status")).isEqualTo("pending");
    assertThat(read).isEqualTo(created);
    assertThat(pending.getJsonArray("items")).hasSize(1);
    assertThat(pending.getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(created.getLong("id"));
  }

  @Test
  void messageWithoutTenantFailsAndTouchesNoDatabase() {
    DeliveryOptions noTenant = new DeliveryOptions().addHeader(MessageHeaders.ACTION, Actions.PRODUCTS_CREATE);

    Future<io.vertx.core.eventbus.Message<Object>> reply = silo.vertx().eventBus().request(Addresses.DATA,
      new JsonObject().put("sku", "X").put("name", "X").put("unit_price_cents", 1).put("units_in_stock", 1), noTenant);

    assertThatThrownBy(() -> await(reply))
      .isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("tenant_required");
      });
    assertThat(await(client.data("acme", Actions.PRODUCTS_LIST, null)).getJsonArray("items")).isEmpty();
  }

  @Test
  void invalidTenantHeaderIsRejected() {
    assertThatThrownBy(() -> await(client.data("../acme", Actions.PRODUCTS_LIST, null)))
      .isInstanceOfSatisfying(SiloException.class, e -> assertThat(e.code().code()).isEqualTo("invalid_tenant_id"));
  }

  @Test
  void suspendedTenantFailsOnEventBus() {
    await(client.admin(Actions.TENANTS_SUSPEND, new JsonObject().put("id", "acme").put("reason", "audit")));

    Future<io.vertx.core.eventbus.Message<Object>> plain = silo.vertx().eventBus().request(Addresses.DATA, new JsonObject(),
      new DeliveryOptions().addHeader(MessageHeaders.TENANT, "acme").addHeader(MessageHeaders.ACTION, Actions.PRODUCTS_LIST));

    assertThatThrownBy(() -> await(plain))
      .isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("tenant_suspended");
      });
    await(client.admin(Actions.TENANTS_RESUME, new JsonObject().put("id", "acme")));
    assertThat(await(client.data("acme", Actions.PRODUCTS_LIST, null)).getJsonArray("items")).isEmpty();
  }

  @Test
  void lifecycleEventsArePublished() {
    List<JsonObject> events = new ArrayList<>();
    io.vertx.core.Promise<Void> deleted = io.vertx.core.Promise.promise();
    await(client.onLifecycleEvent(event -> {
      events.add(event);
      if ("tenant.deleted".equals(event.getString("type"))) {
        deleted.tryComplete();
      }
    }).completion());

    await(client.admin(Actions.TENANTS_SUSPEND, new JsonObject().put("id", "acme")));
    await(client.admin(Actions.TENANTS_DELETE, new JsonObject().put("id", "acme")));
    await(deleted.future());

    assertThat(events).extracting(event -> event.getString("type"))
      .containsExactly("tenant.suspended", "tenant.deleted");
    assertThat(events).allSatisfy(event -> {
      assertThat(event.getString("tenant_id")).isEqualTo("acme");
      assertThat(event.getString("at")).endsWith("Z");
    });
  }
}
