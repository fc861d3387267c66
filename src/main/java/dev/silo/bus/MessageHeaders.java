package dev.silo.bus;

/** Event-bus header names. */
public final class MessageHeaders {

  /** The tenant whose data a message reads or writes. */
  public static final String TENANT = "tenant";

  /** The operation, for example {@code orders.create}. */
  public static final String ACTION = "action";

  /** The id of the HTTP request a message serves, for log lines; optional. */
  public static final String REQUEST_ID = "request-id";

  private MessageHeaders() {
  }
}
