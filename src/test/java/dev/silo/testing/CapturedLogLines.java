package dev.silo.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.silo.logging.SiloLayout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Logback appender that formats Silo's log lines with {@link SiloLayout} as they are
 * written, on the writing thread, the way the console appender does, and keeps them for
 * tests.
 */
public final class CapturedLogLines extends AppenderBase<ILoggingEvent> {

  /** Lines kept at most; older ones are dropped, so long suites do not grow memory. */
  private static final int MAX_LINES = 5_000;
  private static final Deque<String> LINES = new ArrayDeque<>();

  private final SiloLayout layout = new SiloLayout();

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = layout.doLayout(event);
    synchronized (LINES) {
      if (LINES.size() == MAX_LINES) {
        LINES.removeFirst();
      }
      LINES.addLast(line);
    }
  }

  /** Returns the lines captured so far. */
  public static List<String> lines() {
    synchronized (LINES) {
      return List.copyOf(LINES);
    }
  }

  public static void clear() {
    synchronized (LINES) {
      LINES.clear();
    }
  }
}
