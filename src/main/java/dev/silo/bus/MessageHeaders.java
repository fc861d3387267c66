package dev.silo.bus;

/** Event-bus header names. */
public final class MessageHeaders {

  /** The tenant whose data a message reads or writes. */
  public static final String TENANT = "tenant";

  /** The operation, for example {@code orders.create}. */
  public static final String ACTION = "action";

  private MessageHeaders() {
  }
}
