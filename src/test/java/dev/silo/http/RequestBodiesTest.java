package dev.silo.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodiesTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    // One worker thread, which parseOnEventLoop keeps busy so a parse on it cannot finish early.
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void smallBodyParsedAtOnce() {
    JsonObject body = new JsonObject().put("name", "Chai");

    assertThat(await(parseOnEventLoop(body.toBuffer()))).isEqualTo(body);
  }

  @Test
  void largeBodyParsedOnWorker() {
    JsonArray products = new JsonArray();
    while (products.encode().length() <= RequestBodies.WORKER_PARSE_BYTES) {
      products.add(new JsonObject().put("id", products.size() + 1).put("name", "product " + products.size()));
    }
    JsonObject body = new JsonObject().put("products", products);

    assertThat(await(parseOnEventLoop(body.toBuffer()))).isEqualTo(body);
  }

  @Test
  void malformedLargeBodyFails() {
    Buffer body = Buffer.buffer("{\"name\": \"" + "x".repeat(RequestBodies.WORKER_PARSE_BYTES) + "\"");

    assertThatThrownBy(() -> await(parseOnEventLoop(body))).hasMessageContaining("not valid JSON");
  }

  @Test
  void emptyBodyIsEmptyObject() {
    assertThat(await(parseOnEventLoop(Buffer.buffer()))).isEqualTo(new JsonObject());
  }

  /**
   * Parses on an event loop. Fails when a large body's parse completed before
   * {@code parse} returned, which shows that it ran on the event loop, or when a small
   * body's did not.
   */
  private Future<JsonObject> parseOnEventLoop(Buffer body) {
    boolean large = body.length() > RequestBodies.WORKER_PARSE_BYTES;
    // Holds the only worker thread until the check below, so a parse handed to a worker
    // cannot have completed when parse returns.
    CountDownLatch workerHeld = new CountDownLatch(1);
    vertx.executeBlocking(() -> workerHeld.await(10, TimeUnit.SECONDS), false);
    Promise<JsonObject> result = Promise.promise();
    vertx.runOnContext(v -> {
      Future<JsonObject> parsed = RequestBodies.parse(vertx, body);
      boolean completedAtOnce = parsed.isComplete();
      workerHeld.countDown();
      if (completedAtOnce == large) {
        result.fail(new AssertionError("a body of " + body.length() + " bytes was parsed "
          + (large ? "on the event loop" : "later")));
        return;
      }
      parsed.onComplete(result);
    });
    return result.future();
  }
}
