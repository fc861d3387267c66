package dev.silo.data;

import dev.silo.tenant.TenantPool;

import java.util.HashMap;
import java.util.Map;

/**
 * The slots of tenant pools that the data verticles of one server share: at most
 * {@code tenant_max_open} pools are being opened, open or being closed at once, whichever
 * verticle owns them.
 * <p>
 * Thread-safe: every data verticle calls it from its own thread. It never opens, uses or
 * closes a pool. A verticle that finds no free slot takes a victim from it, the least
 * recently used idle pool of any verticle, and sends an eviction request to the control
 * address of that pool's owner. The owner checks again that the pool is idle before it
 * closes it, and the slot becomes free when the close has completed.
 */
final class PoolBudget {

  /** A pool that a verticle should ask its owner to evict, or whose close it should wait for. */
  record Victim(String tenantId, int owner) {
  }

  private enum State { OPEN, EVICTING, CLOSING }

  private static final class Slot {
    final int owner;
    final TenantPool pool;
    State state = State.OPEN;

    Slot(int owner, TenantPool pool) {
      this.owner = owner;
      this.pool = pool;
    }
  }

  private final int maxOpen;
  private final Map<String, Slot> slots = new HashMap<>();
  // Slots taken: pools being opened plus the entries of slots.
  private int taken;

  PoolBudget(int maxOpen) {
    if (maxOpen < 1) {
      throw new IllegalArgumentException("maxOpen must be at least 1, was " + maxOpen);
    }
    this.maxOpen = maxOpen;
  }

  int maxOpen() {
    return maxOpen;
  }

  /** Returns the number of slots taken: pools being opened, open, or being closed. */
  synchronized int taken() {
    return taken;
  }

  /** Takes a free slot for a pool about to be opened, and returns false when none is free. */
  synchronized boolean tryTake() {
    if (taken >= maxOpen) {
      return false;
    }
    taken++;
    return true;
  }

  /** Gives back a slot taken with {@link #tryTake()} whose pool was not opened. */
  synchronized void giveBack() {
    taken--;
  }

  /** Records the pool opened in a slot taken with {@link #tryTake()}. */
  synchronized void opened(int owner, TenantPool pool) {
    Slot previous = slots.put(pool.tenantId(), new Slot(owner, pool));
    if (previous != null) {
      throw new IllegalStateException("tenant " + pool.tenantId() + " already has a pool in the budget");
    }
  }

  /** Records that the owner started to close the tenant's pool; it is no longer a victim. */
  synchronized void closing(String tenantId) {
    Slot slot = slots.get(tenantId);
    if (slot != null) {
      slot.state = State.CLOSING;
    }
  }

  /** Frees the slot of a tenant's pool whose close has completed, whether it succeeded or not. */
  synchronized void closed(String tenantId) {
    if (slots.remove(tenantId) != null) {
      taken--;
    }
  }

  /** Returns an evicting pool to the open ones, after its owner found it busy. */
  synchronized void kept(String tenantId) {
    Slot slot = slots.get(tenantId);
    if (slot != null && slot.state == State.EVICTING) {
      slot.state = State.OPEN;
    }
  }

  /**
   * Picks the least recently used idle open pool and marks it as evicting, so no other
   * verticle picks it too. When no open pool is idle, it returns an idle pool that is
   * already being evicted or closed, whose slot frees soon. Returns {@code null} when every
   * pool serves a request.
   */
  synchronized Victim pickVictim() {
    Map.Entry<String, Slot> oldest = null;
    Map.Entry<String, Slot> leaving = null;
    for (Map.Entry<String, Slot> entry : slots.entrySet()) {
      Slot slot = entry.getValue();
      if (slot.pool.inFlight() > 0) {
        continue;
      }
      if (slot.state != State.OPEN) {
        leaving = entry;
      } else if (oldest == null || slot.pool.lastUsedNanos() < oldest.getValue().pool.lastUsedNanos()) {
        oldest = entry;
      }
    }
    if (oldest != null) {
      oldest.getValue().state = State.EVICTING;
      return new Victim(oldest.getKey(), oldest.getValue().owner);
    }
    return leaving == null ? null : new Victim(leaving.getKey(), leaving.getValue().owner);
  }
}
