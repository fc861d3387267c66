package dev.silo.util;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps in the contract's format: ISO-8601 UTC to the second, {@code 2026-12-04T19:03:15Z}. */
public final class Times {

  private Times() {
  }

  public static String now() {
    return format(Instant.now());
  }

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
