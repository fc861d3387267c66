package dev.silo.http;

/** The verticle kind that serves a route. */
enum Target {
  /** Tenant data, on the owning {@code TenantDataVerticle}. */
  DATA,
  /** Lifecycle and system data, on the {@code AdminVerticle}. */
  ADMIN
}
