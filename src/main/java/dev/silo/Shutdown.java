package dev.silo;

import dev.silo.config.SiloOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stop of the fat jar's server: on SIGTERM or SIGINT it stops the server gracefully
 * ({@link SiloServer#close()}), closes Vert.x and exits with status 0, or 1 when the stop
 * failed or outlasted its limit. A shutdown hook runs the same stop when the JVM shuts
 * down for another reason.
 * <p>
 * The signal handlers exist for the exit status. A JVM that a signal shuts down runs its
 * shutdown hooks and then exits with 128 plus the signal number (143 for SIGTERM), and a
 * hook cannot change that without {@code Runtime.halt}, which would skip the remaining
 * hooks, such as the one that deletes the SQLite native library that sqlite-jdbc unpacks
 * into the temporary folder.
 */
final class Shutdown {

  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  /** Time allowed beyond {@code shutdown_timeout_ms} to close pools, Vert.x and the system database. */
  private static final long CLOSE_MARGIN_MS = 5_000;

  private final Vertx vertx;
  private final SiloServer server;
  private Future<Void> stopped;

  private Shutdown(Vertx vertx, SiloServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Installs the signal handlers and the shutdown hook for a started server. */
  static void install(Vertx vertx, SiloServer server) {
    Shutdown shutdown = new Shutdown(vertx, server);
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::await, "silo-shutdown"));
    for (String signal : new String[] {"TERM", "INT"}) {
      try {
        // sun.misc.Signal is in the jdk.unsupported module, which JDK 9 and later keep
        // exported for this use until a supported replacement exists.
        sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> shutdown.exitAfterStop());
      } catch (IllegalArgumentException | LinkageError e) {
        // For example under -Xrs. The shutdown hook still stops the server, with exit status 128 + signal.
        LOG.warn("Cannot handle SIG{}; the shutdown hook stops the server instead", signal, e);
      }
    }
  }

  private synchronized Future<Void> stop() {
    if (stopped == null) {
      stopped = server.close().eventually(vertx::close);
    }
    return stopped;
  }

  /** Stops the server, waiting at most {@code shutdown_timeout_ms} plus a margin, and returns whether it stopped. */
  private boolean await() {
    long limit = server.options().get(SiloOptions.SHUTDOWN_TIMEOUT_MS) + CLOSE_MARGIN_MS;
    try {
      stop().await(limit, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.warn("Shutdown did not finish within {} ms", limit);
    } catch (Exception e) {
      LOG.error("Shutdown failed", e);
    }
    return false;
  }

  private void exitAfterStop() {
    int status = 1;
    try {
      status = await() ? 0 : 1;
    } finally {
      // This handler replaced the JVM's own, so the JVM exits only when it calls exit.
      System.exit(status);
    }
  }
}
