package dev.silo.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Logback appender that records Vert.x blocked-thread warnings, so tests can fail on them. */
public final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {

  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder warning = new StringBuilder(event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      for (var frame : event.getThrowableProxy().getStackTraceElementProxyArray()) {
        warning.append("\n  at ").append(frame.getStackTraceElement());
      }
    }
    WARNINGS.add(warning.toString());
  }

  /** Returns the warnings recorded so far. */
  public static List<String> peek() {
    return List.copyOf(WARNINGS);
  }

  /** Returns the warnings recorded so far and clears them. */
  public static List<String> drain() {
    List<String> copy = List.copyOf(WARNINGS);
    WARNINGS.clear();
    return copy;
  }
}
