package dev.silo.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback conversion word {@code %tenantId}: the tenant of the Vert.x context the line is
 * written on, or {@code -}. Like {@link RequestIdConverter}, it needs a synchronous appender.
 */
public final class TenantIdConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    LogContext context = LogContext.current();
    return context == null || context.tenantId() == null ? "-" : context.tenantId();
  }
}
