package dev.silo.system;

import dev.silo.tenant.SqliteSettings;
import dev.silo.testing.SiloTestServer;
import dev.silo.util.Times;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static dev.silo.testing.SiloTestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Tokens#authenticate} against a real system database, changed behind the cache's
 * back the way an operator with the sqlite3 shell would change it.
 */
class TokenAuthenticationTest {

  private static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final AtomicLong clock = new AtomicLong();
  private final TokenCache cache = new TokenCache(100, TIME_TO_LIVE, clock::get);
  private Vertx vertx;
  private SystemDatabase database;
  private String secret;
  private String tokenId;

  @BeforeEach
  void open() throws Exception {
    vertx = SiloTestServer.newVertx();
    database = await(vertx.executeBlocking(() -> SystemDatabase.open(vertx, dir, new SqliteSettings("NORMAL", 1000), 2)));
    secret = Tokens.newSecret();
    String at = Times.now();
    tokenId = database.inTransaction(c -> {
      TenantRegistry.insert(c, new TenantRecord("acme", "Acme", "standard", TenantStatus.ACTIVE, null, "1", at, at));
      return Tokens.insert(c, secret, "test", null, "acme", at);
    });
  }

  @AfterEach
  void close() {
    await(database.close(vertx));
    await(vertx.close());
  }

  @Test
  void cachedTokenSkipsDatabase() throws Exception {
    Principal first = authenticate();
    database.withConnection(c -> Jdbc.update(c, "DELETE FROM tokens WHERE id = ?", tokenId));

    Principal second = authenticate();

    assertThat(first).isEqualTo(new Principal(tokenId, Role.TENANT, "acme", null));
    assertThat(second).as("served from the cache although the row is gone").isEqualTo(first);
    assertThat(cache.misses()).isEqualTo(1);
    assertThat(cache.hits()).isEqualTo(1);
  }

  @Test
  void outOfBandRevocationAfterTimeToLive() throws Exception {
    authenticate();
    database.withConnection(c -> Tokens.revoke(c, tokenId, Times.now()));

    clock.addAndGet(TIME_TO_LIVE.toNanos() - 1);
    Principal beforeExpiry = authenticate();
    clock.addAndGet(1);
    Principal afterExpiry = authenticate();
    Principal later = authenticate();

    assertThat(beforeExpiry).as("within the time to live").isNotNull();
    assertThat(afterExpiry).as("at the time to live").isNull();
    assertThat(later).as("a revoked token is not cached").isNull();
    assertThat(cache.misses()).isEqualTo(3);
  }

  private Principal authenticate() {
    return await(Tokens.authenticate(database.pool(), cache, secret));
  }
}
