package dev.silo.system;

/**
 * The caller of a request, as its token identifies it: a staff user with a role, or a tenant.
 *
 * @param tokenId  public id of the token, safe to log
 * @param role     what the token may do
 * @param tenantId the tenant of a tenant token, {@code null} for staff
 * @param userId   the staff user of a staff token, {@code null} for tenants
 */
public record Principal(String tokenId, Role role, String tenantId, String userId) {
}
