package dev.silo.admin;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.function.Supplier;

/**
 * Runs asynchronous operations one after another: each starts when the one before it
 * has completed, whatever its outcome. Used from one context only.
 */
final class SerialQueue {

  private Future<?> tail = Future.succeededFuture();

  /** Queues {@code operation} and returns its result. */
  <T> Future<T> submit(Supplier<Future<T>> operation) {
    Promise<T> result = Promise.promise();
    tail = tail.transform(previous -> {
      Future<T> current;
      try {
        current = operation.get();
      } catch (RuntimeException e) {
        current = Future.failedFuture(e);
      }
      current.onComplete(result);
      return current.transform(ignored -> Future.succeededFuture());
    });
    return result.future();
  }
}
