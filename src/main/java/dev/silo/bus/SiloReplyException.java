package dev.silo.bus;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure reply of Silo's addresses: the failure code is the HTTP status and the
 * message is the error code ({@code tenant_suspended}, ...), as plain {@link ReplyException}
 * users expect. {@link #detail()} adds the sentence for a person.
 */
public final class SiloReplyException extends ReplyException {

  private final String detail;

  public SiloReplyException(int status, String code, String detail) {
    super(ReplyFailure.RECIPIENT_FAILURE, status, code, true);
    this.detail = detail;
  }

  public static SiloReplyException of(SiloException e) {
    return new SiloReplyException(e.code().status(), e.code().code(), e.getMessage());
  }

  /** Returns the error code, the same as {@link #getMessage()}. */
  public String code() {
    return getMessage();
  }

  /** Returns a sentence for a person that explains the failure. */
  public String detail() {
    return detail;
  }

  /** Converts a failure received from Silo's addresses back into a {@link SiloException}. */
  public static SiloException toSiloException(Throwable failure) {
    if (failure instanceof SiloException) {
      return (SiloException) failure;
    }
    if (failure instanceof ReplyException) {
      ReplyException reply = (ReplyException) failure;
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new SiloException(ErrorCode.TIMEOUT, "the request timed out inside the server");
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return new SiloException(ErrorCode.UNAVAILABLE, "the server is starting or stopping; retry shortly");
      }
      ErrorCode code = ErrorCode.fromCode(reply.getMessage());
      if (code != null) {
        String detail = failure instanceof SiloReplyException ? ((SiloReplyException) failure).detail() : code.code();
        return new SiloException(code, detail);
      }
    }
    return null;
  }
}
