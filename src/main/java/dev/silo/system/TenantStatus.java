package dev.silo.system;

/** Lifecycle states of a tenant, stored in the system database by their string value. */
public enum TenantStatus {

  /** Registered; its database file is not in place yet. */
  PROVISIONING("provisioning"),
  /** Serves requests. */
  ACTIVE("active"),
  /** Refuses requests with {@code tenant_suspended}; its data is kept. */
  SUSPENDED("suspended");

  private final String value;

  TenantStatus(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static TenantStatus fromValue(String value) {
    for (TenantStatus status : values()) {
      if (status.value.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown tenant status " + value);
  }
}
