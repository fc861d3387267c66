package dev.silo.data;

import dev.silo.testing.SiloTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * One real server per test class, with its data folder in a temporary directory, and a
 * new tenant for every test, so tests never see each other's rows.
 */
abstract class DataApiTestBase {

  @TempDir
  static Path dataDir;

  static SiloTestServer server;

  TenantApi api;

  @BeforeAll
  static void startServer() {
    server = SiloTestServer.start(dataDir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void provisionTenant() {
    api = TenantApi.provision(server, getClass().getSimpleName().replace("ApiTest", "").toLowerCase());
  }
}
