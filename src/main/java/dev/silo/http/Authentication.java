package dev.silo.http;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import dev.silo.system.Principal;
import dev.silo.system.TokenCache;
import dev.silo.system.Tokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Resolves {@code Authorization: Bearer <token>} into a {@link Principal} stored in the
 * routing context under {@link #PRINCIPAL}. Runs on the event loop. The token is looked
 * up in the server's {@link TokenCache}, and on a miss with a non-blocking query of the
 * system database.
 */
final class Authentication {

  static final String PRINCIPAL = "silo.principal";
  private static final String BEARER = "Bearer ";
  private static final int MAX_TOKEN_LENGTH = 256;

  private final Pool systemPool;
  private final TokenCache tokenCache;

  Authentication(Pool systemPool, TokenCache tokenCache) {
    this.systemPool = systemPool;
    this.tokenCache = tokenCache;
  }

  void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(new SiloException(ErrorCode.UNAUTHORIZED, "send 'Authorization: Bearer <token>'"));
      return;
    }
    String secret = header.substring(BEARER.length()).trim();
    if (secret.isEmpty() || secret.length() > MAX_TOKEN_LENGTH) {
      ctx.fail(new SiloException(ErrorCode.UNAUTHORIZED, "the token is missing or unknown"));
      return;
    }

    Tokens.authenticate(systemPool, tokenCache, secret).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() == null) {
        ctx.fail(new SiloException(ErrorCode.UNAUTHORIZED, "the token is missing or unknown"));
      } else {
        ctx.put(PRINCIPAL, ar.result());
        ctx.next();
      }
    });
  }
}
