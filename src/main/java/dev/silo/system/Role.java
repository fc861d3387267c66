package dev.silo.system;

/** Permission level of a token. */
public enum Role {

  /** Staff with full access to {@code /admin} and to any tenant's data. */
  ADMIN("admin"),
  /** Staff who may read {@code /admin} and tenant data but change nothing. */
  SUPPORT("support"),
  /** A tenant's own client, bound to that tenant's data. */
  TENANT("tenant");

  private final String value;

  Role(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public boolean isStaff() {
    return this != TENANT;
  }

  /** Returns the staff role with this value, or {@code null} for anything else. */
  public static Role staffRole(String value) {
    if (ADMIN.value.equals(value)) {
      return ADMIN;
    }
    if (SUPPORT.value.equals(value)) {
      return SUPPORT;
    }
    return null;
  }
}
