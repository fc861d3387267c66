package dev.silo.util;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.Callable;

/** Runs blocking code in place on a worker thread and turns its outcome into a future. */
public final class Blocking {

  private Blocking() {
  }

  /**
   * Fails at once when called on an event-loop thread. Blocking entry points call it, so
   * a blocking call that reaches an event loop fails every time in tests, instead of only
   * when it happens to be slow enough for the blocked-thread checker.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static void requireNotEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("blocking call on event-loop thread " + Thread.currentThread().getName());
    }
  }

  /**
   * Calls {@code work} on the calling thread, which must be a worker thread, and returns
   * its result or its exception as a completed future.
   */
  public static <T> Future<T> call(Callable<T> work) {
    requireNotEventLoop();
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
