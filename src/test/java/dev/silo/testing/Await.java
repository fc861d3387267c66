package dev.silo.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that another thread or process makes true, such as a file that a server opens. */
public final class Await {

  /** Maximum wait of {@link #until(String, BooleanSupplier)}. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 10;

  private Await() {
  }

  /** Returns once {@code condition} holds, or fails after {@link #TIMEOUT} naming {@code what}. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, TIMEOUT, condition);
  }

  /** Returns once {@code condition} holds, or fails after {@code timeout} naming {@code what}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }
}
