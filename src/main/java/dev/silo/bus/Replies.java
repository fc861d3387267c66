package dev.silo.bus;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;

/** Sends the outcome of a handled message back to its sender. */
public final class Replies {

  private Replies() {
  }

  /**
   * Replies with the result, or fails the message: a {@link SiloException} keeps its code
   * and message, a reply failure from another address passes through, and anything else is
   * logged with {@code operation} and reported as {@code internal_error} without detail.
   */
  public static void send(Message<?> message, AsyncResult<?> result, Logger log, String operation) {
    if (result.succeeded()) {
      message.reply(result.result());
      return;
    }
    message.reply(toReplyFailure(result.cause(), log, operation));
  }

  /** Converts any failure into the reply failure that clients see. */
  public static SiloReplyException toReplyFailure(Throwable failure, Logger log, String operation) {
    if (failure instanceof SiloReplyException) {
      return (SiloReplyException) failure;
    }
    SiloException known = SiloReplyException.toSiloException(failure);
    if (known != null) {
      return SiloReplyException.of(known);
    }
    log.error("{} failed", operation, failure);
    return SiloReplyException.of(new SiloException(ErrorCode.INTERNAL_ERROR,
      "the server failed to complete the request; the error is in its log"));
  }
}
