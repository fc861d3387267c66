package dev.silo.admin;

import dev.silo.error.SiloException;
import dev.silo.system.Role;
import dev.silo.system.SystemDatabase;
import dev.silo.system.TokenCache;
import dev.silo.system.Tokens;
import dev.silo.system.Users;
import dev.silo.util.Blocking;
import dev.silo.util.Fields;
import dev.silo.util.Page;
import dev.silo.util.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/** Creates staff users and API tokens. Runs on the admin verticle's worker thread. */
final class AccessAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(AccessAdmin.class);
  private static final int MAX_NAME_LENGTH = 200;

  private final SystemDatabase database;
  private final TenantLifecycle lifecycle;
  private final TokenCache tokenCache;

  AccessAdmin(SystemDatabase database, TenantLifecycle lifecycle, TokenCache tokenCache) {
    this.database = database;
    this.lifecycle = lifecycle;
    this.tokenCache = tokenCache;
  }

  /** Creates a token bound to a tenant; the reply contains the secret, which is shown only this once. */
  Future<JsonObject> createTenantToken(JsonObject request) {
    return Blocking.call(() -> {
      Fields.rejectUnknown(request, Set.of("id", "name"));
      String tenantId = lifecycle.require(TenantLifecycle.idOf(request)).id();
      String name = nameOrDefault(request, "default");
      String secret = Tokens.newSecret();
      String tokenId = database.withConnection(c -> Tokens.insert(c, secret, name, null, tenantId, Times.now()));
      LOG.info("Created token {} '{}' for tenant {}", tokenId, name, tenantId);
      return new JsonObject().put("id", tokenId).put("name", name).put("token", secret).put("tenant_id", tenantId);
    });
  }

  /** Creates a staff user with a token; the reply contains the secret, which is shown only this once. */
  Future<JsonObject> createUser(JsonObject request) {
    return Blocking.call(() -> {
      Fields.rejectUnknown(request, Set.of("name", "role"));
      String name = Fields.requiredString(request, "name", MAX_NAME_LENGTH);
      String roleValue = Fields.requiredString(request, "role", 16);
      Role role = Role.staffRole(roleValue);
      if (role == null) {
        throw SiloException.invalid("field 'role' must be 'admin' or 'support', got '" + roleValue + "'");
      }
      String secret = Tokens.newSecret();
      String at = Times.now();
      JsonObject user = database.inTransaction(c -> {
        String userId = Users.insert(c, name, role, at);
        String tokenId = Tokens.insert(c, secret, name, userId, null, at);
        return new JsonObject().put("id", userId).put("name", name).put("role", role.value())
          .put("token_id", tokenId).put("token", secret);
      });
      LOG.info("Created {} user {} with token {}", role.value(), user.getString("id"), user.getString("token_id"));
      return user;
    });
  }

  /** Lists tokens without secrets; {@code tenant_id} or {@code user_id} narrow the list. */
  Future<JsonObject> listTokens(JsonObject request) {
    return Blocking.call(() -> {
      String tenantId = Fields.optionalString(request, "tenant_id", 64);
      String userId = Fields.optionalString(request, "user_id", 64);
      int limit = Page.limit(request);
      String after = Page.afterText(request, 64);
      List<JsonObject> rows = database.withConnection(c -> Tokens.list(c, tenantId, userId, after, limit + 1));
      return Page.of(rows, limit, token -> token.getString("id"));
    });
  }

  /** Revokes a token at once: the next request that presents it gets 401. */
  Future<JsonObject> revokeToken(JsonObject request) {
    return Blocking.call(() -> {
      String tokenId = Fields.requiredString(request, "id", 64);
      boolean revoked = database.withConnection(c -> Tokens.revoke(c, tokenId, Times.now()));
      // Also when nothing was revoked: a token revoked outside the server may still be cached.
      tokenCache.invalidateToken(tokenId);
      if (!revoked) {
        throw SiloException.notFound("no valid token has id '" + tokenId + "'");
      }
      LOG.info("Revoked token {}", tokenId);
      return (JsonObject) null;
    });
  }

  private static String nameOrDefault(JsonObject request, String fallback) {
    String name = Fields.optionalString(request, "name", MAX_NAME_LENGTH);
    return name == null || name.isBlank() ? fallback : name;
  }
}
