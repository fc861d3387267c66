package dev.silo.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.silo.config.SiloOptions;
import dev.silo.testing.HttpResult;
import dev.silo.testing.SiloTestServer;
import dev.silo.util.SiloVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRoutesTest {

  @TempDir
  Path dir;

  private SiloTestServer silo;

  @AfterEach
  void stop() {
    if (silo != null) {
      silo.close();
    }
  }

  @Test
  void healthIsUpWithoutToken() {
    silo = SiloTestServer.start(dir.resolve("data"));

    HttpResult health = silo.call("GET", "/health", null, null, null);

    assertThat(health.status()).as(health.toString()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("UP");
    assertThat(statuses(health)).containsEntry("http", "UP");
    assertThat(health.json().getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("version"))
      .isEqualTo(SiloVersion.get());
  }

  @Test
  void readyListsEveryCheck() {
    silo = SiloTestServer.start(dir.resolve("data"));

    HttpResult ready = silo.call("GET", "/ready", null, null, null);

    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(statuses(ready)).containsExactlyInAnyOrderEntriesOf(
      Map.of("accepting-requests", "UP", "system-database", "UP", "admin-verticle", "UP", "data-folder", "UP"));
    JsonObject folder = check(ready, "data-folder").getJsonObject("data");
    assertThat(folder.getLong("usable_bytes")).isPositive();
    assertThat(folder.getLong("min_free_bytes")).isEqualTo(100L * 1024 * 1024);
  }

  @Test
  void notReadyBelowFreeSpace() {
    silo = SiloTestServer.start(dir.resolve("data"),
      options -> options.with(SiloOptions.READY_MIN_FREE_MB, Integer.MAX_VALUE));

    HttpResult ready = silo.call("GET", "/ready", null, null, null);
    HttpResult health = silo.call("GET", "/health", null, null, null);

    assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
    assertThat(ready.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(ready.json().getString("status")).isEqualTo("DOWN");
    assertThat(statuses(ready)).containsExactlyInAnyOrderEntriesOf(
      Map.of("accepting-requests", "UP", "system-database", "UP", "admin-verticle", "UP", "data-folder", "DOWN"));
    assertThat(check(ready, "data-folder").getJsonObject("data").getString("reason"))
      .contains("ready_min_free_mb");
    assertThat(health.status()).as("liveness stays up: %s", health).isEqualTo(200);
  }

  @Test
  void failedCheckLoggedOnce() {
    Logger logger = (Logger) LoggerFactory.getLogger(OperationsRoutes.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      silo = SiloTestServer.start(dir.resolve("data"),
        options -> options.with(SiloOptions.READY_MIN_FREE_MB, Integer.MAX_VALUE));

      for (int i = 0; i < 6; i++) {
        assertThat(silo.call("GET", "/ready", null, null, null).status()).isEqualTo(503);
      }

      long warnings = appender.list.stream()
        .filter(event -> event.getFormattedMessage().startsWith("Readiness check data-folder failed")).count();
      // Each of the test server's two HTTP verticle instances logs the change once.
      assertThat(warnings).isBetween(1L, 2L);
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void notReadyWhenDataFolderMoved() throws IOException {
    Path dataDir = dir.resolve("data");
    silo = SiloTestServer.start(dataDir);
    Path moved = dir.resolve("moved");
    Files.move(dataDir, moved);
    try {
      HttpResult ready = silo.call("GET", "/ready", null, null, null);

      assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
      assertThat(statuses(ready)).containsEntry("data-folder", "DOWN");
      assertThat(statuses(ready)).containsEntry("admin-verticle", "UP");
    } finally {
      Files.move(moved, dataDir);
    }

    HttpResult again = silo.call("GET", "/ready", null, null, null);
    assertThat(again.status()).as("ready once the folder is back: %s", again).isEqualTo(200);
  }

  private static Map<String, String> statuses(HttpResult result) {
    Map<String, String> statuses = new HashMap<>();
    JsonArray checks = result.json().getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      statuses.put(checks.getJsonObject(i).getString("id"), checks.getJsonObject(i).getString("status"));
    }
    return statuses;
  }

  private static JsonObject check(HttpResult result, String id) {
    JsonArray checks = result.json().getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + id + " in " + result);
  }
}
