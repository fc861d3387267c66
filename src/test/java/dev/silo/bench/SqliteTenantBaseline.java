package dev.silo.bench;

import dev.silo.bench.TenantConnection.OrderLine;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal hand-written tenant server over sqlite-jdbc, the B2 and B3 baselines of
 * {@code scripts/bench.sh}. It shows what Silo's routing, pools and event bus cost
 * compared with the shortest path from HTTP to a tenant's SQLite file.
 * <p>
 * Routes, with the tenant named by the {@code X-Tenant-ID} header and no authentication:
 * <ul>
 *   <li>{@code GET /api/products/{id}} (B2) returns the product with the fields of Silo's reply.</li>
 *   <li>{@code POST /api/orders} (B3) takes {@code {customer_id, lines: [{product_id,
 *   quantity}]}}, creates a pending order at the products' prices, takes the stock in the
 *   same transaction and replies 201 with the order.</li>
 * </ul>
 * Each request runs with {@code executeBlocking} on a Vert.x worker thread, which uses
 * its own connection to the tenant (see {@link TenantConnections}). The event loops
 * parse requests and write replies. It deploys one HTTP verticle per CPU core, as Silo
 * does by default, and closes Vert.x and then every connection when the JVM stops.
 * <p>
 * Usage: {@code SqliteTenantBaseline HOST PORT TENANT_FOLDER}, where the folder holds
 * {@code <tenant id>.db} files with Silo's tenant schema. It prints
 * {@code listening on HOST:PORT} once the server accepts connections.
 */
public final class SqliteTenantBaseline {

  private static final String PRODUCTS_PATH = "/api/products/";
  private static final String ORDERS_PATH = "/api/orders";

  private SqliteTenantBaseline() {
  }

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: SqliteTenantBaseline HOST PORT TENANT_FOLDER");
      System.exit(2);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    TenantConnections connections = new TenantConnections(Path.of(args[2]));
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, connections)));

    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new TenantVerticle(host, port, connections), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("listening on " + host + ":" + port))
      .onFailure(e -> {
        System.err.println("failed to listen on " + host + ":" + port + ": " + e);
        System.exit(1);
      });
  }

  private static void stop(Vertx vertx, TenantConnections connections) {
    try {
      // Worker threads must be done with their connections before those close.
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("failed to close Vert.x within 10 s, closing the connections anyway: " + e);
    }
    connections.close();
  }

  private static final class TenantVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final TenantConnections connections;

    TenantVerticle(String host, int port, TenantConnections connections) {
      this.host = host;
      this.port = port;
      this.connections = connections;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(this::handle)
        .listen();
    }

    private void handle(HttpServerRequest request) {
      String path = request.path();
      String tenantId = request.getHeader("X-Tenant-ID");
      if (request.method() == HttpMethod.GET && path.startsWith(PRODUCTS_PATH)) {
        readProduct(request, tenantId, path.substring(PRODUCTS_PATH.length()));
      } else if (request.method() == HttpMethod.POST && path.equals(ORDERS_PATH)) {
        request.body()
          .onSuccess(body -> createOrder(request, tenantId, body))
          .onFailure(e -> replyError(request, e));
      } else {
        replyError(request, new BaselineException(404, "not_found", "no route for " + request.method() + " " + path));
      }
    }

    private void readProduct(HttpServerRequest request, String tenantId, String idText) {
      long id;
      try {
        id = Long.parseLong(idText);
      } catch (NumberFormatException e) {
        replyError(request, new BaselineException(400, "invalid_request", "product id must be an integer"));
        return;
      }

      // Unordered, so that requests of one event loop run on several worker threads at once.
      vertx.executeBlocking(() -> connections.get(tenantId).readProduct(id), false)
        .onSuccess(product -> {
          if (product == null) {
            replyError(request, new BaselineException(404, "not_found", "product " + id + " does not exist"));
          } else {
            reply(request, 200, product);
          }
        })
        .onFailure(e -> replyError(request, e));
    }

    private void createOrder(HttpServerRequest request, String tenantId, Buffer body) {
      NewOrder order;
      try {
        order = NewOrder.parse(body);
      } catch (BaselineException e) {
        replyError(request, e);
        return;
      }

      vertx.executeBlocking(() -> connections.get(tenantId).createOrder(order.customerId(), order.lines()), false)
        .onSuccess(created -> reply(request, 201, created))
        .onFailure(e -> replyError(request, e));
    }

    private static void reply(HttpServerRequest request, int status, JsonObject body) {
      request.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.toBuffer());
    }

    private static void replyError(HttpServerRequest request, Throwable failure) {
      if (failure instanceof BaselineException error) {
        reply(request, error.status(), errorBody(error.code(), error.getMessage()));
        return;
      }
      System.err.println(request.method() + " " + request.path() + " failed: " + failure);
      reply(request, 500, errorBody("internal_error", "the request failed; see the baseline's log"));
    }

    private static JsonObject errorBody(String code, String message) {
      return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
    }
  }

  /** The body of {@code POST /api/orders}: the customer and at least one line. */
  private record NewOrder(String customerId, List<OrderLine> lines) {

    static NewOrder parse(Buffer body) {
      try {
        JsonObject json = body.toJsonObject();
        String customerId = json.getString("customer_id");
        JsonArray array = json.getJsonArray("lines");
        if (customerId == null || array == null || array.isEmpty()) {
          throw invalid();
        }
        List<OrderLine> lines = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
          JsonObject line = array.getJsonObject(i);
          Long productId = line == null ? null : line.getLong("product_id");
          Long quantity = line == null ? null : line.getLong("quantity");
          if (productId == null || quantity == null || quantity <= 0) {
            throw invalid();
          }
          lines.add(new OrderLine(productId, quantity));
        }
        return new NewOrder(customerId, lines);
      } catch (DecodeException | ClassCastException e) {
        // JsonObject getters throw ClassCastException for a value of another type.
        throw invalid();
      }
    }

    private static BaselineException invalid() {
      return new BaselineException(400, "invalid_request",
        "the body must be {customer_id, lines: [{product_id, quantity}]} with at least one line and positive quantities");
    }
  }
}
