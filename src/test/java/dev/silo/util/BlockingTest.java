package dev.silo.util;

import dev.silo.testing.SiloTestServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockingTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = SiloTestServer.newVertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void callFailsOnEventLoop() {
    Promise<String> outcome = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        Blocking.call(() -> "ran");
        outcome.complete("no failure");
      } catch (IllegalStateException e) {
        outcome.complete(e.getMessage());
      }
    });

    assertThat(await(outcome.future())).startsWith("blocking call on event-loop thread vert.x-eventloop-thread-");
  }

  @Test
  void callRunsOnWorker() {
    Promise<String> outcome = Promise.promise();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        Blocking.call(() -> "ran on " + Thread.currentThread().getName()).onComplete(outcome);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));

    assertThat(await(outcome.future())).startsWith("ran on vert.x-worker-thread-");
  }

  @Test
  void callReportsWorkFailure() {
    Future<Object> failed = await(vertx.executeBlocking(() -> Blocking.call(() -> {
      throw new java.io.IOException("disk gone");
    })));

    assertThatThrownBy(() -> await(failed)).hasMessage("disk gone");
  }
}
