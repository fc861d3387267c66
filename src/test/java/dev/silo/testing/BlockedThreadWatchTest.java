package dev.silo.testing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Proves that the blocked-thread check of the other tests can fail. */
class BlockedThreadWatchTest {

  @Test
  void blockedEventLoopIsReported() {
    BlockedThreadWatch.drain();
    Vertx vertx = SiloTestServer.newVertx();
    try {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> {
        long until = System.nanoTime() + SiloTestServer.BLOCKED_THREAD_MS * 4 * 1_000_000;
        // Busy-waits on purpose: this is the blocking call the checker must catch.
        while (System.nanoTime() < until && BlockedThreadWatch.peek().isEmpty()) {
          Thread.onSpinWait();
        }
        done.complete();
      });
      await(done.future());
    } finally {
      await(vertx.close());
    }

    assertThat(BlockedThreadWatch.drain()).isNotEmpty();
  }
}
