package dev.silo.error;

/**
 * A failure whose code and message are safe to show to a client.
 * <p>
 * It carries no stack trace: it is an expected outcome (a missing entity, an invalid
 * field), not a bug. Anything else that fails is logged and reported to clients as
 * {@link ErrorCode#INTERNAL_ERROR} without detail.
 */
public final class SiloException extends RuntimeException {

  private final ErrorCode code;

  public SiloException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static SiloException invalid(String message) {
    return new SiloException(ErrorCode.INVALID_REQUEST, message);
  }

  public static SiloException notFound(String message) {
    return new SiloException(ErrorCode.NOT_FOUND, message);
  }

  public static SiloException conflict(String message) {
    return new SiloException(ErrorCode.CONFLICT, message);
  }
}
