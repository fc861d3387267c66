package dev.silo.util;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * The shutdown drain of one server: it counts the requests in flight, and once
 * {@link #start} has run it admits no new request and reports when the requests in
 * flight have ended.
 * <p>
 * Thread-safe: the HTTP verticles call it from several event loops, and the data
 * verticles read {@link #remaining()} when they close their pools.
 */
public final class Drain {

  private int inFlight;
  private boolean draining;
  private long deadlineNanos;
  private Promise<Void> ended;

  /** Admits a request and counts it in flight; returns false once the drain has started. */
  public synchronized boolean tryEnter() {
    if (draining) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Marks the end of a request admitted by {@link #tryEnter()}. */
  public void exit() {
    Promise<Void> done = null;
    synchronized (this) {
      inFlight--;
      if (draining && inFlight == 0) {
        done = ended;
      }
    }
    // Completed outside the lock: its listeners go on with the shutdown.
    if (done != null) {
      done.tryComplete();
    }
  }

  /** Returns the number of admitted requests that have not ended. */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Returns whether the drain has started. */
  public synchronized boolean draining() {
    return draining;
  }

  /**
   * Stops admitting requests. The returned future completes when no admitted request is
   * in flight any more, or when {@code timeout} has passed, whichever comes first; it
   * never fails. A second call returns the future of the first.
   */
  public Future<Void> start(Vertx vertx, Duration timeout) {
    Promise<Void> promise;
    boolean idle;
    synchronized (this) {
      if (draining) {
        return ended.future();
      }
      draining = true;
      deadlineNanos = System.nanoTime() + timeout.toNanos();
      ended = Promise.promise();
      promise = ended;
      idle = inFlight == 0;
    }
    if (idle) {
      promise.tryComplete();
    } else {
      // setTimer needs at least 1 ms; a timeout of 0 means do not wait.
      long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> promise.tryComplete());
      promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return promise.future();
  }

  /**
   * Returns the time left until the deadline that {@link #start} set: zero when it has
   * passed, and {@code null} before the drain has started.
   */
  public synchronized Duration remaining() {
    if (!draining) {
      return null;
    }
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }
}
