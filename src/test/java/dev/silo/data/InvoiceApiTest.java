package dev.silo.data;

import dev.silo.testing.HttpResult;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.silo.data.TenantApi.line;
import static dev.silo.data.TenantApi.order;
import static org.assertj.core.api.Assertions.assertThat;

class InvoiceApiTest extends DataApiTestBase {

  private static final String ISO_UTC_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

  private long newOrder(long quantity) {
    long product = api.product("P-" + quantity, 1999, 100);
    api.customer("C-" + quantity);
    return api.create("/api/orders", order("C-" + quantity, line(product, quantity).put("discount_percent", 15))
      .put("freight_cents", 310)).getLong("id");
  }

  private static JsonObject invoiceFor(long orderId) {
    return new JsonObject().put("order_id", orderId);
  }

  @Test
  void createTakesOrderTotal() {
    long orderId = newOrder(3);
    long total = api.read("/api/orders/" + orderId).getLong("total_cents");

    JsonObject invoice = api.create("/api/invoices", invoiceFor(orderId));

    assertThat(total).isEqualTo(5097 + 310);
    assertThat(invoice.getLong("id")).isPositive();
    assertThat(invoice.getLong("order_id")).isEqualTo(orderId);
    assertThat(invoice.getLong("amount_cents")).isEqualTo(total);
    assertThat(invoice.getString("status")).isEqualTo("open");
    assertThat(invoice.getString("number")).isEqualTo("INV-000001");
    assertThat(invoice.getString("issued_at")).matches(ISO_UTC_SECONDS);
    assertThat(invoice.getString("paid_at")).isNull();
    assertThat(api.read("/api/invoices/" + invoice.getLong("id"))).isEqualTo(invoice);
  }

  @Test
  void numbersFollowIds() {
    JsonObject first = api.create("/api/invoices", invoiceFor(newOrder(1)));
    JsonObject second = api.create("/api/invoices", invoiceFor(newOrder(2)));

    assertThat(first.getString("number")).isEqualTo("INV-000001");
    assertThat(second.getString("number")).isEqualTo("INV-000002");
    assertThat(second.getLong("id")).isEqualTo(first.getLong("id") + 1);
  }

  @Test
  void secondInvoiceOfOrderConflicts() {
    long orderId = newOrder(1);
    api.create("/api/invoices", invoiceFor(orderId));

    HttpResult result = api.post("/api/invoices", invoiceFor(orderId));

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("conflict");
    assertThat(result.body()).contains("already has an invoice");
    assertThat(api.read("/api/invoices").getJsonArray("items")).hasSize(1);
  }

  @Test
  void cancelledOrderNotInvoiced() {
    long orderId = newOrder(1);
    api.post("/api/orders/" + orderId + "/cancel", null);

    HttpResult result = api.post("/api/invoices", invoiceFor(orderId));

    assertThat(result.status()).as(result.toString()).isEqualTo(409);
    assertThat(result.errorCode()).isEqualTo("conflict");
    assertThat(result.body()).contains("cancelled");
  }

  @Test
  void unknownOrMissingOrderRejected() {
    HttpResult unknown = api.post("/api/invoices", invoiceFor(999));
    HttpResult missing = api.post("/api/invoices", new JsonObject());

    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
    assertThat(unknown.body()).contains("'order_id'").contains("order 999 does not exist");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("'order_id'");
  }

  @Test
  void payMarksPaidOnce() {
    long id = api.create("/api/invoices", invoiceFor(newOrder(1))).getLong("id");

    HttpResult paid = api.post("/api/invoices/" + id + "/pay", null);
    HttpResult again = api.post("/api/invoices/" + id + "/pay", null);

    assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
    assertThat(paid.json().getString("status")).isEqualTo("paid");
    assertThat(paid.json().getString("paid_at")).matches(ISO_UTC_SECONDS);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("conflict");
    assertThat(api.read("/api/invoices/" + id)).isEqualTo(paid.json());
  }

  @Test
  void unknownInvoiceNotFound() {
    HttpResult get = api.get("/api/invoices/999");
    HttpResult pay = api.post("/api/invoices/999/pay", null);

    assertThat(get.status()).isEqualTo(404);
    assertThat(get.errorCode()).isEqualTo("not_found");
    assertThat(pay.status()).isEqualTo(404);
  }

  @Test
  void listPagesInvoices() {
    long first = api.create("/api/invoices", invoiceFor(newOrder(1))).getLong("id");
    long second = api.create("/api/invoices", invoiceFor(newOrder(2))).getLong("id");
    long third = api.create("/api/invoices", invoiceFor(newOrder(3))).getLong("id");

    TenantApi.Pages pages = api.walk("/api/invoices", 2);

    assertThat(pages.sizes()).containsExactly(2, 1);
    assertThat(pages.ids()).containsExactly(first, second, third);
    assertThat(api.get("/api/invoices?limit=1001").status()).isEqualTo(400);
  }
}
