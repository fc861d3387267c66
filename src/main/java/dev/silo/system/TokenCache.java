package dev.silo.system;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Principals of recently authenticated tokens, keyed by the SHA-256 hash of the secret, so
 * that a request with a known token skips the token query of the system database. One
 * instance serves a whole server: the HTTP verticles read and fill it, and the admin
 * verticle invalidates it.
 * <p>
 * Only valid tokens are stored: an unknown or revoked secret reaches the database on
 * every request. An entry expires {@link #DEFAULT_TIME_TO_LIVE} after its lookup, so a
 * change written to {@code system.db} outside the server, for example with the sqlite3
 * shell, takes effect within that time. Revocations made through the server take effect
 * for the next request, because each admin action that makes tokens invalid calls an
 * {@code invalidate} method after its commit and before it replies.
 * <p>
 * A lookup that read the database before an invalidation must not store its result after
 * it. {@link #get} therefore reads the {@code generation} counter before it starts the
 * query and stores the result only when no invalidation has incremented the counter since.
 * <p>
 * Thread-safe: event loops call {@link #get}, the admin verticle's worker thread calls
 * the {@code invalidate} methods. One lock guards the map and the counter, and it is held
 * only for a map operation, never during a query.
 */
public final class TokenCache {

  /** Maximum number of cached tokens. When it is reached, the least recently used token is evicted. */
  public static final int DEFAULT_MAX_ENTRIES = 50_000;

  /** Time after its lookup at which an entry expires and the token is queried again. */
  public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(60);

  private final int maxEntries;
  private final long timeToLiveNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Entry> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final Object lock = new Object();
  private long generation;

  /** Creates a cache with {@link #DEFAULT_MAX_ENTRIES} and {@link #DEFAULT_TIME_TO_LIVE}. */
  public TokenCache() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_TIME_TO_LIVE, System::nanoTime);
  }

  /**
   * @param maxEntries maximum number of cached tokens, at least 1
   * @param timeToLive time after its lookup at which an entry expires, positive
   * @param nanoClock  source of {@link System#nanoTime()}-like readings
   */
  public TokenCache(int maxEntries, Duration timeToLive, LongSupplier nanoClock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    if (timeToLive.isNegative() || timeToLive.isZero()) {
      throw new IllegalArgumentException("timeToLive must be positive, got " + timeToLive);
    }
    this.maxEntries = maxEntries;
    this.timeToLiveNanos = timeToLive.toNanos();
    this.nanoClock = nanoClock;
    // Access order makes the eldest entry the least recently used one.
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > TokenCache.this.maxEntries;
      }
    };
  }

  /**
   * Looks up the principal of a token hash. A cached principal that has not expired is
   * returned at once. Otherwise the result of {@code query} is returned and stored, unless
   * it is {@code null} or an invalidation happened while the query ran. Runs on the
   * caller's thread, and the returned future completes where {@code query}'s future does.
   *
   * @param query looks the hash up in the database and returns {@code null} for an
   *              unknown or revoked token
   */
  public Future<Principal> get(String hash, Function<String, Future<Principal>> query) {
    long queryGeneration;
    synchronized (lock) {
      Entry entry = entries.get(hash);
      if (entry != null && nanoClock.getAsLong() - entry.storedAtNanos < timeToLiveNanos) {
        hits.increment();
        return Future.succeededFuture(entry.principal);
      }
      if (entry != null) {
        entries.remove(hash);
      }
      queryGeneration = generation;
    }
    misses.increment();
    return query.apply(hash).onSuccess(principal -> {
      if (principal != null) {
        put(hash, principal, queryGeneration);
      }
    });
  }

  /** Stores a principal unless an invalidation happened since {@code queryGeneration} was read. */
  private void put(String hash, Principal principal, long queryGeneration) {
    synchronized (lock) {
      if (queryGeneration == generation) {
        entries.put(hash, new Entry(principal, nanoClock.getAsLong()));
      }
    }
  }

  // NOTE: each JVM has its own cache. A clustered deployment would have to publish these
  // invalidations on the event bus and wait for every node before the admin action replies.

  /** Removes the token with this id. Call it after the revocation has been committed. */
  public void invalidateToken(String tokenId) {
    invalidate(principal -> principal.tokenId().equals(tokenId));
  }

  /** Removes every token of a tenant. Call it after the tenant's deletion has been committed. */
  public void invalidateTenant(String tenantId) {
    invalidate(principal -> tenantId.equals(principal.tenantId()));
  }

  private void invalidate(Predicate<Principal> matches) {
    synchronized (lock) {
      generation++;
      entries.values().removeIf(entry -> matches.test(entry.principal));
    }
  }

  /** Returns the number of lookups served from the cache. */
  public long hits() {
    return hits.sum();
  }

  /** Returns the number of lookups that queried the database. */
  public long misses() {
    return misses.sum();
  }

  /** Returns the number of cached tokens, expired ones not yet removed included. */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  private record Entry(Principal principal, long storedAtNanos) {
  }
}
