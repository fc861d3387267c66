package dev.silo.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link JarProcess}es a test started. Register it as a field with
 * {@code @RegisterExtension}: when the test fails it prints the output of every process
 * before they are killed, and after each test it kills those still running.
 */
public final class StartedJars implements AfterTestExecutionCallback, AfterEachCallback {

  private final List<JarProcess> processes = new ArrayList<>();

  /** Records a started process and returns it. */
  public JarProcess add(JarProcess process) {
    processes.add(process);
    return process;
  }

  /** Returns how many processes the test has started so far. */
  public int count() {
    return processes.size();
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (JarProcess process : processes) {
        System.err.printf("---- output of silo.jar on port %d ----%n%s---- end of output ----%n",
          process.port(), process.output());
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    processes.forEach(JarProcess::close);
    processes.clear();
  }
}
