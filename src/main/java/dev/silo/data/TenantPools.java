package dev.silo.data;

import dev.silo.bus.Actions;
import dev.silo.bus.Addresses;
import dev.silo.bus.MessageHeaders;
import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.metrics.SiloMetrics;
import dev.silo.metrics.SiloMetrics.Eviction;
import dev.silo.tenant.SqliteSettings;
import dev.silo.tenant.TenantPool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The tenant pools of one {@link TenantDataVerticle}, opened within the server's
 * {@link PoolBudget}.
 * <p>
 * A tenant has at most one pool at a time: a request for a tenant whose pool is closing
 * waits for the close and then opens a new pool. A pool closes only once its in-flight
 * requests have ended.
 * <p>
 * Not thread-safe: only the owning verticle's context calls it, one task at a time.
 */
final class TenantPools {

  private static final Logger LOG = LoggerFactory.getLogger(TenantPools.class);

  private final Vertx vertx;
  private final ContextInternal context;
  private final int owner;
  private final PoolBudget budget;
  private final SqliteSettings settings;
  private final int poolSize;
  private final Duration acquisitionTimeout;
  private final SiloMetrics metrics;
  private final Map<String, TenantPool> open = new HashMap<>();
  private final Map<String, Future<TenantPool>> opening = new HashMap<>();
  private final Map<String, Future<Void>> closing = new HashMap<>();
  private final Map<TenantPool, List<Promise<Void>>> drainWaiters = new HashMap<>();

  /**
   * @param owner              index of the owning data verticle, whose control address
   *                           receives eviction requests for these pools
   * @param acquisitionTimeout longest wait for a connection, and for a slot of the budget
   */
  TenantPools(Vertx vertx, int owner, PoolBudget budget, SqliteSettings settings, int poolSize,
              Duration acquisitionTimeout, SiloMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.owner = owner;
    this.budget = budget;
    this.settings = settings;
    this.poolSize = poolSize;
    this.acquisitionTimeout = acquisitionTimeout;
  }

  /** Returns whether the tenant's pool is open and takes requests. */
  boolean isOpen(String tenantId) {
    return open.containsKey(tenantId);
  }

  /**
   * Returns the tenant's pool with one more request in flight, to be ended with
   * {@link #release}. A tenant without an open pool gets one: once a slot of the budget is
   * free, {@code servable} checks that the tenant may still be served and returns its
   * file, and the pool opens on it. Fails with {@code unavailable} when every pool of the
   * server serves a request, or when no slot freed within the acquisition timeout.
   * Blocking when it opens a pool.
   */
  Future<TenantPool> acquire(String tenantId, Callable<Path> servable) {
    TenantPool pool = open.get(tenantId);
    if (pool != null) {
      pool.acquire();
      return Future.succeededFuture(pool);
    }
    Future<Void> previousClose = closing.get(tenantId);
    if (previousClose != null) {
      return previousClose.transform(ignored -> acquire(tenantId, servable));
    }
    Future<TenantPool> pending = opening.get(tenantId);
    if (pending == null) {
      pending = openPool(tenantId, servable, System.nanoTime() + acquisitionTimeout.toNanos());
      if (!pending.isComplete()) {
        opening.put(tenantId, pending);
        pending.onComplete(ar -> opening.remove(tenantId));
      }
    }
    // Looked up again, because the pool may have closed before this request's turn.
    return pending.compose(opened -> acquire(tenantId, servable));
  }

  /** Marks the end of a request on {@code pool}, and completes a pending close once it is idle. */
  void release(TenantPool pool) {
    pool.release();
    if (pool.inFlight() == 0) {
      List<Promise<Void>> waiters = drainWaiters.remove(pool);
      if (waiters != null) {
        waiters.forEach(Promise::tryComplete);
      }
    }
  }

  /**
   * Removes the tenant's pool at once, so new requests look the tenant up again, and
   * closes it when its in-flight requests have ended. The returned future completes when
   * the pool is closed, also when a close started earlier is still running.
   */
  Future<Void> close(String tenantId, String reason) {
    return close(tenantId, reason, null);
  }

  /**
   * Closes the tenant's pool when it is idle and returns true once it is closed. Returns
   * false, and keeps the pool, when it serves a request. Called on the control address by
   * a verticle that needs a slot of the budget.
   */
  Future<Boolean> evict(String tenantId) {
    TenantPool pool = open.get(tenantId);
    if (pool != null && pool.inFlight() == 0) {
      metrics.poolEvicted(Eviction.CAPACITY);
      return close(tenantId, "least recently used, pool budget reached").transform(ar -> Future.succeededFuture(true));
    }
    Future<Void> previousClose = closing.get(tenantId);
    if (previousClose != null) {
      return previousClose.transform(ar -> Future.succeededFuture(true));
    }
    budget.kept(tenantId);
    return Future.succeededFuture(false);
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

  /**
   * Closes every pool. A pool whose requests have not ended within {@code maxWait} is
   * closed anyway, which fails those requests.
   */
  Future<Void> closeAll(Duration maxWait) {
    List<Future<Void>> all = new ArrayList<>(closing.values());
    new ArrayList<>(open.keySet()).forEach(id -> all.add(close(id, "shutdown", maxWait)));
    return Future.join(all).mapEmpty();
  }

  private Future<Void> close(String tenantId, String reason, Duration maxWait) {
    TenantPool pool = open.remove(tenantId);
    if (pool == null) {
      Future<Void> previousClose = closing.get(tenantId);
      return previousClose == null ? Future.succeededFuture() : previousClose;
    }
    budget.closing(tenantId);
    metrics.poolClosed();
    long start = System.nanoTime();
    Future<Void> closed = onOwnerContext(drained(pool, maxWait).compose(v -> pool.close(vertx)))
      .onSuccess(v -> LOG.info("Closed pool of tenant {} ({}) in {} ms", tenantId, reason, millisSince(start)))
      .onFailure(e -> LOG.error("Closing pool of tenant {} ({}) failed", tenantId, reason, e))
      .eventually(() -> {
        closing.remove(tenantId);
        budget.closed(tenantId);
        return Future.succeededFuture();
      });
    if (!closed.isComplete()) {
      closing.put(tenantId, closed);
    }
    return closed;
  }

  private Future<TenantPool> openPool(String tenantId, Callable<Path> servable, long deadlineNanos) {
    return takeSlot(deadlineNanos).compose(v -> {
      try {
        Path database = servable.call();
        long start = System.nanoTime();
        TenantPool pool = TenantPool.open(vertx, tenantId, database, settings, poolSize, acquisitionTimeout);
        open.put(tenantId, pool);
        budget.opened(owner, pool);
        metrics.poolOpened();
        LOG.debug("Opened pool of tenant {} in {} ms", tenantId, millisSince(start));
        return Future.succeededFuture(pool);
      } catch (Exception e) {
        budget.giveBack();
        return Future.failedFuture(e);
      }
    });
  }

  /**
   * Takes a slot of the budget. While none is free, it sends an eviction request for the
   * least recently used idle pool to that pool's owner, and tries again once the pool is
   * closed.
   */
  private Future<Void> takeSlot(long deadlineNanos) {
    if (budget.tryTake()) {
      return Future.succeededFuture();
    }
    PoolBudget.Victim victim = budget.pickVictim();
    if (victim == null || System.nanoTime() - deadlineNanos > 0) {
      return Future.failedFuture(new SiloException(ErrorCode.UNAVAILABLE,
        "all " + budget.maxOpen() + " open tenant pools are serving requests; retry shortly"));
    }
    DeliveryOptions delivery = new DeliveryOptions().addHeader(MessageHeaders.ACTION, Actions.POOL_EVICT);
    return vertx.eventBus()
      .request(Addresses.control(victim.owner()), new JsonObject().put("tenant_id", victim.tenantId()), delivery)
      .transform(reply -> {
        if (reply.failed()) {
          budget.kept(victim.tenantId());
          LOG.warn("Evicting the pool of tenant {} failed", victim.tenantId(), reply.cause());
          return Future.failedFuture(new SiloException(ErrorCode.UNAVAILABLE,
            "no tenant pool could be closed to make room; retry shortly"));
        }
        return takeSlot(deadlineNanos);
      });
  }

  /** Completes when the pool has no request in flight, or after {@code maxWait} when it is not null. */
  private Future<Void> drained(TenantPool pool, Duration maxWait) {
    if (pool.inFlight() == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    drainWaiters.computeIfAbsent(pool, p -> new ArrayList<>()).add(promise);
    if (maxWait != null) {
      vertx.setTimer(Math.max(1, maxWait.toMillis()), id -> {
        if (promise.tryComplete()) {
          LOG.warn("Closing pool of tenant {} with {} requests still in flight after {} ms", pool.tenantId(),
            pool.inFlight(), maxWait.toMillis());
        }
      });
    }
    return promise.future();
  }

  /**
   * Returns a future that completes like {@code future} but on the owner's context, because
   * Vert.x may complete the close of a pool on another thread.
   */
  private <T> Future<T> onOwnerContext(Future<T> future) {
    // A duplicate of the owner's context, such as a pool command's, keeps its log context,
    // so the lines written on completion name the request that caused the close.
    ContextInternal current = ContextInternal.current();
    ContextInternal target = current != null && current.unwrap() == context.unwrap() ? current : context;
    Promise<T> promise = target.promise();
    future.onComplete(promise);
    return promise.future();
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
