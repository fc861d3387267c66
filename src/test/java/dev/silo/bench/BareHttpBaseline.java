package dev.silo.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Serves a small JSON object over plain Vert.x HTTP, with no router and no database.
 *
 * <p>{@code scripts/bench.sh} runs it as the B1 baseline, which measures the cost of the
 * HTTP layer alone with the Vert.x version that Silo uses. It deploys one verticle
 * per CPU core, as Silo's {@code http_instances} does by default. The name does not end
 * in {@code Test}, so surefire does not run it.
 *
 * <p>Usage: {@code BareHttpBaseline HOST PORT}. It prints {@code listening on HOST:PORT}
 * once the server accepts connections and runs until the process is stopped.
 */
public final class BareHttpBaseline {

  private static final Buffer BODY = Buffer.buffer("{\"id\":1,\"name\":\"Chai\",\"unit_price_cents\":1800}");

  private BareHttpBaseline() {
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: BareHttpBaseline HOST PORT");
      System.exit(2);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new JsonVerticle(host, port), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("listening on " + host + ":" + port))
      .onFailure(e -> {
        System.err.println("failed to listen on " + host + ":" + port + ": " + e);
        System.exit(1);
      });
  }

  private static final class JsonVerticle extends VerticleBase {
    private final String host;
    private final int port;

    JsonVerticle(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(request -> request.response()
          .putHeader("content-type", "application/json")
          .end(BODY))
        .listen();
    }
  }
}
