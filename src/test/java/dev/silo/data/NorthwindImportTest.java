package dev.silo.data;

import dev.silo.testing.HttpResult;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Imports the whole Northwind sample and reads it back through the API. */
class NorthwindImportTest extends DataApiTestBase {

  @Test
  void pendingOrdersMatchCsv() throws IOException {
    Northwind northwind = Northwind.load();
    JsonObject document = northwind.document();

    HttpResult imported = api.post("/api/import", document);

    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    assertThat(imported.json()).isEqualTo(new JsonObject()
      .put("customers", northwind.customers.size() + northwind.missingCustomers.size())
      .put("products", northwind.products.size())
      .put("orders", northwind.orders.size()));

    TenantApi.Pages pending = api.walk("/api/orders?status=pending", 5);

    List<String> expectedIds = northwind.unshippedOrderIds();
    assertThat(expectedIds).as("orders.csv rows without ShippedDate").hasSize(21);
    assertThat(pending.sizes()).containsExactly(5, 5, 5, 5, 1);
    assertThat(pending.ids()).containsExactlyElementsOf(expectedIds.stream().map(Long::valueOf).toList());
    for (JsonObject order : pending.items()) {
      String id = String.valueOf(order.getLong("id"));
      assertThat(order.getString("status")).as(id).isEqualTo("pending");
      assertThat(order.getString("shipped_at")).as(id).isNull();
      assertThat(order.getJsonArray("lines")).as(id).hasSize(northwind.detailsByOrder.get(id).size());
      assertThat(order.getLong("total_cents")).as("total_cents of order %s", id)
        .isEqualTo(northwind.expectedTotalCents(id));
    }
  }

  @Test
  void totalsOfEveryOrderMatchCsv() throws IOException {
    Northwind northwind = Northwind.load();
    api.post("/api/import", northwind.document());

    TenantApi.Pages all = api.walk("/api/orders", 1000);

    assertThat(all.items()).hasSize(northwind.orders.size());
    for (JsonObject order : all.items()) {
      String id = String.valueOf(order.getLong("id"));
      assertThat(order.getLong("total_cents")).as("total_cents of order %s", id)
        .isEqualTo(northwind.expectedTotalCents(id));
    }
    // Imported orders reserve nothing, so stock stays as the CSV has it.
    for (JsonObject product : api.walk("/api/products", 1000).items()) {
      String id = String.valueOf(product.getLong("id"));
      String csvStock = northwind.products.stream().filter(p -> p.get("ProductID").equals(id)).findFirst()
        .orElseThrow().get("UnitsInStock");
      assertThat(product.getLong("units_in_stock")).as("units_in_stock of product %s", id)
        .isEqualTo(Long.parseLong(csvStock));
    }
  }

  @Test
  void otherTenantSeesNothing() throws IOException {
    api.post("/api/import", Northwind.load().document());
    TenantApi other = TenantApi.provision(server, "northwind-other");

    assertThat(other.read("/api/orders?status=pending").getJsonArray("items")).isEmpty();
    assertThat(other.read("/api/customers").getJsonArray("items")).isEmpty();
    assertThat(other.get("/api/orders/11077").status()).isEqualTo(404);
    assertThat(api.get("/api/orders/11077").status()).isEqualTo(200);
  }
}
