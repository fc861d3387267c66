package dev.silo.bus;

import dev.silo.error.SiloException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Client for verticles deployed in the same Vert.x instance as Silo (or, later, in the
 * same cluster). It wraps the {@code silo.data}, {@code silo.admin} and
 * {@code silo.events} addresses.
 * <p>
 * Every call is non-blocking and may be made from any Vert.x thread. Failures complete
 * the future with a {@link SiloException} whose {@link SiloException#code()} is the
 * contract's error code, for example {@code tenant_suspended}.
 * <p>
 * The event bus trusts its senders: any code in the JVM may name any tenant, so deploy
 * only trusted verticles beside Silo.
 */
public final class SiloClient {

  /** Default time a request may take before it fails with {@code timeout}. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final long timeoutMillis;

  private SiloClient(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  public static SiloClient create(Vertx vertx) {
    return new SiloClient(vertx, DEFAULT_TIMEOUT_MS);
  }

  public static SiloClient create(Vertx vertx, long timeoutMillis) {
    return new SiloClient(vertx, timeoutMillis);
  }

  /**
   * Sends a data action for one tenant.
   *
   * @param action an action of {@link Actions}, such as {@link Actions#ORDERS_CREATE}
   * @return the reply JSON, the same the HTTP route returns, or {@code null} for an empty reply
   */
  public Future<JsonObject> data(String tenantId, String action, JsonObject body) {
    Objects.requireNonNull(tenantId, "tenantId");
    DeliveryOptions delivery = delivery(action).addHeader(MessageHeaders.TENANT, tenantId);
    return request(Addresses.DATA, body, delivery);
  }

  /** Sends an admin action, such as {@link Actions#TENANTS_PROVISION}. */
  public Future<JsonObject> admin(String action, JsonObject body) {
    return request(Addresses.ADMIN, body, delivery(action));
  }

  public Future<JsonObject> createProduct(String tenantId, JsonObject product) {
    return data(tenantId, Actions.PRODUCTS_CREATE, product);
  }

  public Future<JsonObject> createCustomer(String tenantId, JsonObject customer) {
    return data(tenantId, Actions.CUSTOMERS_CREATE, customer);
  }

  public Future<JsonObject> createOrder(String tenantId, JsonObject order) {
    return data(tenantId, Actions.ORDERS_CREATE, order);
  }

  public Future<JsonObject> getOrder(String tenantId, long orderId) {
    return data(tenantId, Actions.ORDERS_GET, new JsonObject().put("id", orderId));
  }

  /** Returns a page of pending orders: {@code {"items": [...], "next": cursor}}. */
  public Future<JsonObject> pendingOrders(String tenantId, int limit, String after) {
    JsonObject query = new JsonObject().put("limit", limit);
    if (after != null) {
      query.put("after", after);
    }
    return data(tenantId, Actions.ORDERS_PENDING, query);
  }

  /** Calls {@code handler} with each lifecycle event {@code {type, tenant_id, at}}. */
  public MessageConsumer<JsonObject> onLifecycleEvent(Handler<JsonObject> handler) {
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, message -> handler.handle(message.body()));
  }

  private DeliveryOptions delivery(String action) {
    Objects.requireNonNull(action, "action");
    return new DeliveryOptions().addHeader(MessageHeaders.ACTION, action).setSendTimeout(timeoutMillis);
  }

  private Future<JsonObject> request(String address, JsonObject body, DeliveryOptions delivery) {
    return vertx.eventBus().<JsonObject>request(address, body == null ? new JsonObject() : body, delivery)
      .map(Message::body)
      .recover(failure -> {
        SiloException known = SiloReplyException.toSiloException(failure);
        return Future.failedFuture(known != null ? known : failure);
      });
  }
}
