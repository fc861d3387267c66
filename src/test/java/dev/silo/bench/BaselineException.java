package dev.silo.bench;

/**
 * A failed baseline request that the client caused, with the HTTP status and error code
 * to reply with. Built without a stack trace, because it is an expected outcome.
 */
final class BaselineException extends RuntimeException {

  private final int status;
  private final String code;

  BaselineException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
