package dev.silo.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

import java.util.Locale;

/**
 * The console layout of Silo: human-readable text by default, one JSON object per line
 * with {@link #useJson(boolean)}. Both carry the request id and tenant id of the Vert.x
 * context the line is written on.
 * <p>
 * The format starts from {@code silo.log_format} or {@code SILO_LOG_FORMAT}, so that
 * lines written before the configuration is loaded already use it; {@code Main} then
 * applies the {@code log_format} key of the loaded configuration.
 */
public final class SiloLayout extends LayoutBase<ILoggingEvent> {

  static final String TEXT_PATTERN =
    "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX, UTC} %-5level [%thread] %logger{36} [%requestId %tenantId] - %msg%n";

  private static volatile boolean json = "json".equalsIgnoreCase(initialFormat());

  private final PatternLayout text = new PatternLayout();
  private final JsonLayout jsonLayout = new JsonLayout();

  /** Switches every Silo layout of the process between JSON and text. */
  public static void useJson(boolean enabled) {
    json = enabled;
  }

  @Override
  public void start() {
    text.setContext(getContext());
    text.getInstanceConverterMap().put("requestId", RequestIdConverter::new);
    text.getInstanceConverterMap().put("tenantId", TenantIdConverter::new);
    text.setPattern(TEXT_PATTERN);
    text.start();
    jsonLayout.setContext(getContext());
    jsonLayout.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return json ? jsonLayout.doLayout(event) : text.doLayout(event);
  }

  private static String initialFormat() {
    String format = System.getProperty("silo.log_format", System.getenv("SILO_LOG_FORMAT"));
    return format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
  }
}
