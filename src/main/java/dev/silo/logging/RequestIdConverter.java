package dev.silo.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback conversion word {@code %requestId}: the request id of the Vert.x context the
 * line is written on, or {@code -}. It reads the context when the line is formatted, so
 * it needs a synchronous appender, such as the console appender.
 */
public final class RequestIdConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    LogContext context = LogContext.current();
    return context == null || context.requestId() == null ? "-" : context.requestId();
  }
}
