package dev.silo.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fat-jar processes that one test starts, as a JUnit extension: when the test fails
 * it prints their output, and after each test it kills those still running. Register it
 * with {@code @RegisterExtension}.
 */
public final class StartedJars implements AfterTestExecutionCallback, AfterEachCallback {

  private final List<JarProcess> started = new ArrayList<>();

  /**
   * Starts the jar in {@code workDir} with its log in that folder and waits until it is
   * ready. {@code environment} must set {@code SILO_HTTP_PORT}.
   */
  public JarProcess start(Path workDir, Map<String, String> environment, List<String> arguments, HttpClient http) {
    int port = Integer.parseInt(environment.get("SILO_HTTP_PORT"));
    Path log = workDir.resolve("silo-" + (started.size() + 1) + ".log");
    JarProcess jar = JarProcess.start(workDir, port, environment, arguments, log, http);
    started.add(jar);
    return jar.awaitReady();
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (JarProcess process : started) {
        System.err.printf("---- output of silo.jar on port %d ----%n%s---- end of output ----%n",
          process.port(), process.output());
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.forEach(JarProcess::close);
    started.clear();
  }
}
