package dev.silo.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API token: each bucket has room for up to {@code burst} requests and refills
 * at {@code perSecond} requests per second. One instance is shared by all HTTP verticle
 * instances of a server, so the limit applies per process, whatever event loop a request
 * lands on.
 * <p>
 * Thread-safe. There is one bucket per token that sent a request; tokens are created by
 * admins, so the map stays as small as the token table.
 */
final class RateLimiter {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double perNano;
  private final double burst;
  private final LongSupplier clock;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perSecond requests per second and token; must be positive
   * @param burst     requests a token may send at once; 0 means {@code perSecond}
   * @param clock     source of {@link System#nanoTime()}-like readings
   */
  RateLimiter(int perSecond, int burst, LongSupplier clock) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("perSecond must be positive, got " + perSecond);
    }
    this.perNano = perSecond / (double) NANOS_PER_SECOND;
    this.burst = burst > 0 ? burst : perSecond;
    this.clock = clock;
  }

  /**
   * Takes one request from the token's bucket.
   *
   * @return 0 when the request may proceed, otherwise the whole seconds to wait until
   *         the bucket has room for a request again (at least 1)
   */
  long acquire(String tokenId) {
    Bucket bucket = buckets.computeIfAbsent(tokenId, id -> new Bucket(burst, clock.getAsLong()));
    synchronized (bucket) {
      long now = clock.getAsLong();
      bucket.available = Math.min(burst, bucket.available + (now - bucket.updatedNanos) * perNano);
      bucket.updatedNanos = now;
      if (bucket.available >= 1) {
        bucket.available -= 1;
        return 0;
      }
      double waitNanos = (1 - bucket.available) / perNano;
      return Math.max(1, (long) Math.ceil(waitNanos / NANOS_PER_SECOND));
    }
  }

  private static final class Bucket {
    double available;
    long updatedNanos;

    Bucket(double available, long updatedNanos) {
      this.available = available;
      this.updatedNanos = updatedNanos;
    }
  }
}
