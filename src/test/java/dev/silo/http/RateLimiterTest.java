package dev.silo.http;

import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @TempDir
  Path dir;

  private final AtomicLong now = new AtomicLong(42 * SECOND);

  @Test
  void burstThenRefillAtRate() {
    RateLimiter limiter = new RateLimiter(2, 3, now::get);

    assertThat(limiter.acquire("tok")).isZero();
    assertThat(limiter.acquire("tok")).isZero();
    assertThat(limiter.acquire("tok")).isZero();
    assertThat(limiter.acquire("tok")).isEqualTo(1);

    now.addAndGet(SECOND / 2);
    assertThat(limiter.acquire("tok")).isZero();
    assertThat(limiter.acquire("tok")).isEqualTo(1);
  }

  @Test
  void bucketsAreSeparatePerToken() {
    RateLimiter limiter = new RateLimiter(1, 1, now::get);

    assertThat(limiter.acquire("first")).isZero();
    assertThat(limiter.acquire("first")).isEqualTo(1);
    assertThat(limiter.acquire("second")).isZero();
  }

  @Test
  void idleBucketRefillsOnlyToBurst() {
    RateLimiter limiter = new RateLimiter(10, 2, now::get);
    limiter.acquire("tok");

    now.addAndGet(60 * SECOND);

    assertThat(limiter.acquire("tok")).isZero();
    assertThat(limiter.acquire("tok")).isZero();
    assertThat(limiter.acquire("tok")).isEqualTo(1);
  }

  @Test
  void burstDefaultsToRate() {
    RateLimiter limiter = new RateLimiter(3, 0, now::get);

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("tok")).isZero();
    }
    assertThat(limiter.acquire("tok")).isEqualTo(1);
  }

  @Test
  void serverAnswers429WithRetryAfter() {
    try (SiloTestServer silo = SiloTestServer.start(dir, options -> options
      .with(SiloOptions.RATE_LIMIT_PER_SECOND, 1)
      .with(SiloOptions.RATE_LIMIT_BURST, 3))) {
      long start = System.nanoTime();
      List<HttpResult> results = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        results.add(silo.admin("GET", "/admin/tenants", null));
      }
      long elapsedSeconds = (System.nanoTime() - start) / SECOND;

      List<HttpResult> limited = results.stream().filter(r -> r.status() == 429).toList();
      long passed = results.stream().filter(r -> r.status() == 200).count();
      // 3 at once, plus 1 per second that the loop took.
      assertThat(passed).isBetween(3L, 3L + elapsedSeconds + 1);
      assertThat(limited).hasSize(10 - (int) passed);
      assertThat(limited.get(0).errorCode()).isEqualTo("rate_limited");
      assertThat(limited.get(0).headers().firstValue("Retry-After")).hasValue("1");
      assertThat(silo.call("GET", "/health", null, null, null).status()).isEqualTo(200);
    }
  }
}
