package dev.silo.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Logback appender that records Vert.x blocked-thread warnings, so tests can fail on them.
 * <p>
 * Two kinds of warning are left out because they are not blocking calls of Silo's:
 * <ul>
 *   <li>a thread waiting in {@code NetServerImpl.bind}: HTTP verticle instances that
 *       start together take turns on Vert.x's shared-server lock (Vert.x 5.0.7), and on
 *       a loaded machine the first bind in a JVM, with its class loading, can hold it
 *       past the limit;</li>
 *   <li>a thread parked in its selector ({@code EPoll.wait}): it is idle, and the warning
 *       only shows that the checker saw a task start but not its end in time.</li>
 * </ul>
 */
public final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {

  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    StackTraceElementProxy[] frames = event.getThrowableProxy() == null ? new StackTraceElementProxy[0]
      : event.getThrowableProxy().getStackTraceElementProxyArray();
    if (frames.length > 0 && isNotSiloBlocking(frames[0].getStackTraceElement())) {
      return;
    }
    StringBuilder warning = new StringBuilder(event.getFormattedMessage());
    for (StackTraceElementProxy frame : frames) {
      warning.append("\n  at ").append(frame.getStackTraceElement());
    }
    WARNINGS.add(warning.toString());
  }

  private static boolean isNotSiloBlocking(StackTraceElement top) {
    String method = top.getClassName() + "." + top.getMethodName();
    return method.equals("io.vertx.core.net.impl.NetServerImpl.bind") || method.equals("sun.nio.ch.EPoll.wait");
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
