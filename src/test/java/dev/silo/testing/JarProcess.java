package dev.silo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Silo fat jar running as a separate process ({@code java -jar silo.jar}), listening
 * on a loopback port, with its standard output and error in a log file.
 * <p>
 * {@link #close()} kills the process if it still runs. Call it from {@code @AfterEach}.
 */
public final class JarProcess implements AutoCloseable {

  /** Maximum wait for {@code /ready} after start, and for the process to exit after SIGTERM. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http;

  private JarProcess(Process process, Path log, int port, HttpClient http) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.http = http;
  }

  /**
   * Returns the path of the fat jar that the build produced, from the system property
   * {@code silo.jar} that Failsafe sets.
   */
  public static Path jar() {
    String property = System.getProperty("silo.jar");
    if (property == null) {
      throw new AssertionError("system property silo.jar is not set: run this test with 'mvn verify', "
        + "which builds target/silo.jar and passes its path");
    }
    Path jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("the fat jar " + jar + " does not exist: run 'mvn verify', which builds it first");
    }
    return jar;
  }

  /** Returns a TCP port on the loopback interface that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * Starts the jar in {@code workDir}. Inherited {@code SILO_*} variables are removed, so
   * only {@code environment} configures the server.
   *
   * @param port the port the server listens on, which {@code environment} sets as
   *             {@code SILO_HTTP_PORT} unless a configuration file in {@code arguments} sets it
   */
  public static JarProcess start(Path workDir, int port, Map<String, String> environment, List<String> arguments,
                                 Path log, HttpClient http) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(workDir.toFile())
      .redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("SILO_"));
    builder.environment().putAll(environment);
    try {
      return new JarProcess(builder.start(), log, port, http);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Returns the operating-system id of the process, to read its resources under {@code /proc}. */
  public long pid() {
    return process.pid();
  }

  /** Sends SIGTERM ({@link Process#destroy()}) and returns at once; {@link #awaitExit} waits for the exit. */
  public void sendSigterm() {
    process.destroy();
  }

  /**
   * Waits for the process to exit and returns its exit code. Fails, and kills the process,
   * when it still runs after {@code timeout}.
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("silo.jar did not exit within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /**
   * Polls {@code GET /ready} until it returns 200. Fails when the process exits first or
   * the server is not ready within {@link #START_TIMEOUT}.
   */
  public JarProcess awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("silo.jar exited with code " + process.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<String> response = http.send(request("GET", "/ready", null, null).build(),
          HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return this;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        // Connection refused until the server listens.
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for /ready", e);
      }
      pause();
    }
    throw new AssertionError("silo.jar was not ready on port " + port + " within " + START_TIMEOUT
      + "; last /ready answer: " + last);
  }

  /** Sends a request; {@code token} and {@code body} may be null. Fails the test when no response arrives. */
  public HttpResult call(String method, String path, String token, Object body) {
    try {
      return send(method, path, token, body);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  /**
   * Sends a request like {@link #call}, but reports a request that got no response, for
   * example because the process died, as an {@link IOException}.
   */
  public HttpResult send(String method, String path, String token, Object body) throws IOException {
    return send(request(method, path, token, body));
  }

  /**
   * Sends a request for a tenant's data with a staff token, naming the tenant in
   * {@code X-Tenant-ID}. Fails the test when no response arrives.
   */
  public HttpResult callForTenant(String method, String path, String token, String tenantId) {
    try {
      return send(request(method, path, token, null).header("X-Tenant-ID", tenantId));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " of tenant " + tenantId + " failed: " + e, e);
    }
  }

  private HttpResult send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new HttpResult(response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private HttpRequest.Builder request(String method, String path, String token, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(REQUEST_TIMEOUT)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  /**
   * Sends SIGTERM ({@link Process#destroy()}) and waits for the process to exit.
   *
   * @return the exit code, which is 0 for a server that stopped gracefully
   */
  public int stop() {
    sendSigterm();
    return awaitExit(STOP_TIMEOUT);
  }

  /** Returns what the process has written to standard output and error so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /**
   * Sends SIGKILL ({@link Process#destroyForcibly()} on Linux and macOS) and waits for the
   * process to exit. Like a crash, it gives the JVM no time to run its shutdown hooks.
   *
   * @return the exit code, which is 137 (128 + 9) after SIGKILL
   */
  public int kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("silo.jar did not exit within " + STOP_TIMEOUT + " of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** Kills the process if it still runs, and waits for it to exit. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for /ready", e);
    }
  }
}
