package dev.silo.data;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.metrics.SiloMetrics;
import dev.silo.metrics.SiloMetrics.Eviction;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantPool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open tenant pools of one {@link TenantDataVerticle}, at most {@code maxOpen} at once.
 * <p>
 * Not thread-safe: only the owning verticle's context calls it, one task at a time.
 */
final class TenantPools {

  private static final Logger LOG = LoggerFactory.getLogger(TenantPools.class);

  private final Vertx vertx;
  private final SqliteSettings settings;
  private final int maxOpen;
  private final int poolSize;
  private final Duration acquisitionTimeout;
  private final SiloMetrics metrics;
  private final Map<String, TenantPool> open = new HashMap<>();
  private final Map<TenantPool, List<Promise<Void>>> drainWaiters = new HashMap<>();

  TenantPools(Vertx vertx, SqliteSettings settings, int maxOpen, int poolSize, Duration acquisitionTimeout,
              SiloMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.settings = settings;
    this.maxOpen = maxOpen;
    this.poolSize = poolSize;
    this.acquisitionTimeout = acquisitionTimeout;
  }

  /** Returns the open pool of a tenant, or {@code null}. */
  TenantPool get(String tenantId) {
    return open.get(tenantId);
  }

  int size() {
    return open.size();
  }

  /**
   * Opens the pool of a tenant whose file exists. At the cap it first closes the least
   * recently used idle pool; when every pool is busy it fails with {@code unavailable}.
   * Blocking: runs on the owning worker verticle.
   */
  TenantPool open(String tenantId, Path database) throws SQLException {
    if (open.size() >= maxOpen) {
      evictLeastRecentlyUsed();
    }
    long start = System.nanoTime();
    TenantPool pool = TenantPool.open(vertx, tenantId, database, settings, poolSize, acquisitionTimeout);
    open.put(tenantId, pool);
    metrics.poolOpened();
    LOG.debug("Opened pool of tenant {} in {} ms", tenantId, (System.nanoTime() - start) / 1_000_000);
    return pool;
  }

  /** Marks the end of a request on {@code pool}, and completes a pending close once it is idle. */
  void release(TenantPool pool) {
    pool.release();
    if (pool.inFlight() == 0) {
      List<Promise<Void>> waiters = drainWaiters.remove(pool);
      if (waiters != null) {
        waiters.forEach(Promise::complete);
      }
    }
  }

  /**
   * Removes the tenant's pool at once, so new requests look the tenant up again, and
   * closes it when its in-flight requests have finished.
   */
  Future<Void> close(String tenantId, String reason) {
    TenantPool pool = open.remove(tenantId);
    if (pool == null) {
      return Future.succeededFuture();
    }
    metrics.poolClosed();
    long start = System.nanoTime();
    return drained(pool)
      .compose(v -> pool.close(vertx))
      .onSuccess(v -> LOG.info("Closed pool of tenant {} ({}) in {} ms", tenantId, reason,
        (System.nanoTime() - start) / 1_000_000))
      .onFailure(e -> LOG.error("Closing pool of tenant {} ({}) failed", tenantId, reason, e));
  }

  /** Closes the pools idle for longer than {@code idleTimeout}. */
  void closeIdle(Duration idleTimeout) {
    long now = System.nanoTime();
    List<String> idle = new ArrayList<>();
    open.forEach((id, pool) -> {
      if (pool.inFlight() == 0 && now - pool.lastUsedNanos() > idleTimeout.toNanos()) {
        idle.add(id);
      }
    });
    idle.forEach(id -> {
      metrics.poolEvicted(Eviction.IDLE);
      close(id, "idle");
    });
  }

  Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    new ArrayList<>(open.keySet()).forEach(id -> closing.add(close(id, "shutdown")));
    return Future.join(closing).mapEmpty();
  }

  private Future<Void> drained(TenantPool pool) {
    if (pool.inFlight() == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    drainWaiters.computeIfAbsent(pool, p -> new ArrayList<>()).add(promise);
    return promise.future();
  }

  private void evictLeastRecentlyUsed() {
    TenantPool oldest = null;
    for (TenantPool pool : open.values()) {
      if (pool.inFlight() == 0 && (oldest == null || pool.lastUsedNanos() < oldest.lastUsedNanos())) {
        oldest = pool;
      }
    }
    if (oldest == null) {
      throw new SiloException(ErrorCode.UNAVAILABLE,
        "too many tenants are busy at once (" + maxOpen + " open pools on this verticle); retry shortly");
    }
    metrics.poolEvicted(Eviction.CAPACITY);
    close(oldest.tenantId(), "least recently used, pool budget reached");
  }
}
