package dev.silo.bus;

/** Event-bus addresses of Silo. */
public final class Addresses {

  /** Tenant data requests; headers {@code tenant} and {@code action}, JSON body. */
  public static final String DATA = "silo.data";

  /** Lifecycle and other admin requests; header {@code action}, JSON body. */
  public static final String ADMIN = "silo.admin";

  /** Lifecycle events {@code {type, tenant_id, at}}, published. */
  public static final String EVENTS = "silo.events";

  private static final String SHARD_PREFIX = "silo.data.shard.";
  private static final String CONTROL_PREFIX = "silo.data.control.";

  private Addresses() {
  }

  /** Returns the address of data verticle {@code index}, which serves the tenants it owns. */
  public static String shard(int index) {
    return SHARD_PREFIX + index;
  }

  /**
   * Returns the control address of data verticle {@code index}: the admin verticle sends
   * it pool commands (close a tenant's pool) and waits for the reply.
   */
  public static String control(int index) {
    return CONTROL_PREFIX + index;
  }

  /**
   * Returns the index of the data verticle that owns a tenant, out of {@code shardCount}.
   * Every sender computes the same owner for the same id, in any JVM.
   */
  public static int ownerOf(String tenantId, int shardCount) {
    // String.hashCode is specified by the JDK, so the owner is stable across JVMs and restarts.
    return Math.floorMod(tenantId.hashCode(), shardCount);
  }
}
