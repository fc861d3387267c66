package dev.silo.system;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache on its own, with a counting stand-in for the token query and a manual clock. */
class TokenCacheTest {

  private static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);
  private static final Principal ACME = new Principal("tok_acme", Role.TENANT, "acme", null);
  private static final Principal GLOBEX = new Principal("tok_globex", Role.TENANT, "globex", null);
  private static final Principal ADMIN = new Principal("tok_admin", Role.ADMIN, null, "usr_admin");

  private final AtomicLong clock = new AtomicLong(1_000);
  private final TokenCache cache = new TokenCache(100, TIME_TO_LIVE, clock::get);
  private final Map<String, Principal> database = new HashMap<>(Map.of(
    "hash-acme", ACME, "hash-globex", GLOBEX, "hash-admin", ADMIN));
  private final Map<String, Integer> queries = new HashMap<>();

  /** Looks a hash up in {@link #database} and counts the lookups per hash. */
  private final Function<String, Future<Principal>> query = hash -> {
    queries.merge(hash, 1, Integer::sum);
    return Future.succeededFuture(database.get(hash));
  };

  @Test
  void hitSkipsQuery() {
    Principal first = lookup("hash-acme");
    Principal second = lookup("hash-acme");

    assertThat(first).isEqualTo(ACME);
    assertThat(second).isEqualTo(ACME);
    assertThat(queries).containsEntry("hash-acme", 1);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(1);
  }

  @Test
  void unknownTokenIsNotCached() {
    assertThat(lookup("hash-unknown")).isNull();
    assertThat(lookup("hash-unknown")).isNull();

    assertThat(queries).containsEntry("hash-unknown", 2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void failedQueryIsNotCached() {
    Future<Principal> failed = cache.get("hash-acme", hash -> Future.failedFuture(new IllegalStateException("busy")));

    assertThat(failed.failed()).isTrue();
    assertThat(lookup("hash-acme")).isEqualTo(ACME);
    assertThat(queries).containsEntry("hash-acme", 1);
  }

  @Test
  void entryExpiresAfterTimeToLive() {
    lookup("hash-acme");
    database.remove("hash-acme");

    clock.addAndGet(TIME_TO_LIVE.toNanos() - 1);
    Principal beforeExpiry = lookup("hash-acme");
    clock.addAndGet(1);
    Principal afterExpiry = lookup("hash-acme");

    assertThat(beforeExpiry).as("just before the time to live").isEqualTo(ACME);
    assertThat(afterExpiry).as("at the time to live, read from the database again").isNull();
    assertThat(queries).containsEntry("hash-acme", 2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void sizeBoundEvictsLeastRecentlyUsed() {
    TokenCache small = new TokenCache(2, TIME_TO_LIVE, clock::get);
    small.get("hash-acme", query);
    small.get("hash-globex", query);
    small.get("hash-acme", query);

    small.get("hash-admin", query);

    assertThat(small.size()).isEqualTo(2);
    small.get("hash-acme", query);
    small.get("hash-admin", query);
    small.get("hash-globex", query);
    assertThat(queries).as("globex was the least recently used, so only it was evicted")
      .containsEntry("hash-acme", 1)
      .containsEntry("hash-admin", 1)
      .containsEntry("hash-globex", 2);
  }

  @Test
  void invalidateTokenRemovesOnlyThatToken() {
    lookup("hash-acme");
    lookup("hash-globex");

    cache.invalidateToken("tok_acme");

    lookup("hash-acme");
    lookup("hash-globex");
    assertThat(queries).containsEntry("hash-acme", 2);
    assertThat(queries).containsEntry("hash-globex", 1);
  }

  @Test
  void invalidateTenantRemovesItsTokens() {
    Principal second = new Principal("tok_acme_2", Role.TENANT, "acme", null);
    database.put("hash-acme-2", second);
    for (String hash : new String[] {"hash-acme", "hash-acme-2", "hash-globex", "hash-admin"}) {
      lookup(hash);
    }

    cache.invalidateTenant("acme");

    assertThat(cache.size()).isEqualTo(2);
    lookup("hash-globex");
    lookup("hash-admin");
    assertThat(queries).containsEntry("hash-globex", 1);
    assertThat(queries).containsEntry("hash-admin", 1);
  }

  @Test
  void queryRacingInvalidationStoresNothing() {
    // The query reads the token as valid, then the revocation commits and invalidates,
    // and only then does the query's result arrive.
    Promise<Principal> pending = Promise.promise();
    Future<Principal> racing = cache.get("hash-acme", hash -> pending.future());
    cache.invalidateToken("tok_acme");
    pending.complete(ACME);

    assertThat(racing.result()).as("the request in flight keeps what it read").isEqualTo(ACME);
    assertThat(cache.size()).as("entries after the racing query").isZero();
    database.remove("hash-acme");
    assertThat(lookup("hash-acme")).as("the next request reads the revocation").isNull();
  }

  @Test
  void queryAfterInvalidationIsCached() {
    cache.invalidateToken("tok_acme");

    lookup("hash-acme");
    lookup("hash-acme");

    assertThat(queries).containsEntry("hash-acme", 1);
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> new TokenCache(0, TIME_TO_LIVE, clock::get))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> new TokenCache(1, Duration.ZERO, clock::get))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeToLive");
  }

  private Principal lookup(String hash) {
    Future<Principal> result = cache.get(hash, query);
    assertThat(result.succeeded()).as("lookup of %s completed", hash).isTrue();
    return result.result();
  }
}
