package dev.silo.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Formats a log line as one JSON object: {@code time}, {@code level}, {@code logger},
 * {@code thread}, {@code message}, {@code request_id}, {@code tenant_id} and, for a
 * failure, {@code error}. Like the converters, it reads the Vert.x context when it formats.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    LogContext context = LogContext.current();
    JsonObject line = new JsonObject()
      .put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString())
      .put("level", event.getLevel().toString())
      .put("logger", event.getLoggerName())
      .put("thread", event.getThreadName())
      .put("message", event.getFormattedMessage());
    if (context != null) {
      line.put("request_id", context.requestId()).put("tenant_id", context.tenantId());
    }
    IThrowableProxy failure = event.getThrowableProxy();
    if (failure != null) {
      line.put("error", ThrowableProxyUtil.asString(failure));
    }
    return line.encode() + CoreConstants.LINE_SEPARATOR;
  }
}
