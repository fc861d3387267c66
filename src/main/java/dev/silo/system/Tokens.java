package dev.silo.system;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API tokens: random secrets shown once and stored as their SHA-256 hash.
 * <p>
 * A secret has 256 random bits, so an unsalted hash is enough: no dictionary covers it.
 */
public final class Tokens {

  /** Prefix of every secret, so that leaked tokens are easy to find in logs and code. */
  public static final String SECRET_PREFIX = "silo_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {
  }

  /** Returns a new random secret. */
  public static String newSecret() {
    return SECRET_PREFIX + randomString(32);
  }

  /** Returns a random URL-safe string made from {@code bytes} random bytes. */
  public static String randomString(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** Returns the hex SHA-256 of a secret, the form stored in the {@code tokens} table. */
  public static String hash(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Stores a token for a staff user or a tenant (exactly one of them) and returns its id. Blocking. */
  public static String insert(Connection connection, String secret, String name, String userId, String tenantId,
                              String at) throws SQLException {
    String id = "tok_" + randomString(9);
    Jdbc.update(connection, "INSERT INTO tokens (id, hash, name, user_id, tenant_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      id, hash(secret), name, userId, tenantId, at);
    return id;
  }

  /**
   * Returns the revocation time of the token with this secret: empty when the token is
   * unknown, an empty string when it is valid. Blocking.
   */
  public static Optional<String> revokedAt(Connection connection, String secret) throws SQLException {
    return Jdbc.queryOne(connection, "SELECT coalesce(revoked_at, '') FROM tokens WHERE hash = ?",
      row -> row.getString(1), hash(secret));
  }

  /**
   * Lists tokens without their secrets, by id, optionally only those of one tenant or one
   * staff user. Blocking.
   */
  public static List<JsonObject> list(Connection connection, String tenantId,
                                                                    String userId, String after, int limit)
    throws SQLException {
    return Jdbc.query(connection,
      "SELECT id, name, tenant_id, user_id, created_at, revoked_at FROM tokens "
        + "WHERE (? IS NULL OR tenant_id = ?) AND (? IS NULL OR user_id = ?) AND id > ? ORDER BY id LIMIT ?",
      row -> new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("tenant_id", row.getString("tenant_id"))
        .put("user_id", row.getString("user_id"))
        .put("created_at", row.getString("created_at"))
        .put("revoked_at", row.getString("revoked_at")),
      tenantId, tenantId, userId, userId, after == null ? "" : after, limit);
  }

  /**
   * Revokes a token and returns false when no unrevoked token has this id. Blocking. The
   * caller then calls {@link TokenCache#invalidateToken}, or a cached token stays valid for
   * up to {@link TokenCache#DEFAULT_TIME_TO_LIVE}.
   */
  public static boolean revoke(Connection connection, String tokenId, String at) throws SQLException {
    return Jdbc.update(connection, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
      at, tokenId) == 1;
  }

  /**
   * Looks up the principal of a secret without blocking: in {@code cache} first, and in
   * the database on a cache miss.
   *
   * @return the principal, or {@code null} when the secret is unknown or revoked
   */
  public static Future<Principal> authenticate(Pool pool, TokenCache cache, String secret) {
    return cache.get(hash(secret), hash -> query(pool, hash));
  }

  private static Future<Principal> query(Pool pool, String hash) {
    return pool.preparedQuery(
        "SELECT t.id, t.hash, t.tenant_id, t.user_id, u.role FROM tokens t LEFT JOIN users u ON u.id = t.user_id "
          + "WHERE t.hash = ? AND t.revoked_at IS NULL")
      .execute(Tuple.of(hash))
      .map(rows -> toPrincipal(rows, hash));
  }

  private static Principal toPrincipal(RowSet<Row> rows, String hash) {
    if (rows.size() == 0) {
      return null;
    }
    Row row = rows.iterator().next();
    // The index lookup already matched; comparing again in constant time keeps the check
    // itself free of timing differences.
    if (!MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
      row.getString("hash").getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    String tenantId = row.getString("tenant_id");
    if (tenantId != null) {
      return new Principal(row.getString("id"), Role.TENANT, tenantId, null);
    }
    Role role = Role.staffRole(row.getString("role"));
    return role == null ? null : new Principal(row.getString("id"), role, null, row.getString("user_id"));
  }
}
