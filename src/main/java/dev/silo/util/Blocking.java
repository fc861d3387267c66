package dev.silo.util;

import io.vertx.core.Future;

import java.util.concurrent.Callable;

/** Runs blocking code in place on a worker thread and turns its outcome into a future. */
public final class Blocking {

  private Blocking() {
  }

  /**
   * Calls {@code work} on the calling thread, which must be a worker thread, and returns
   * its result or its exception as a completed future.
   */
  public static <T> Future<T> call(Callable<T> work) {
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
