package dev.silo.error;

/**
 * Error codes of the HTTP and event-bus contract, each with the HTTP status it maps to.
 * <p>
 * The string value is part of the public contract: clients match on it, so it never
 * changes once released.
 */
public enum ErrorCode {

  INVALID_REQUEST("invalid_request", 400),
  INVALID_TENANT_ID("invalid_tenant_id", 400),
  TENANT_REQUIRED("tenant_required", 400),
  UNAUTHORIZED("unauthorized", 401),
  FORBIDDEN("forbidden", 403),
  TENANT_SUSPENDED("tenant_suspended", 403),
  TENANT_NOT_FOUND("tenant_not_found", 404),
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  CONFLICT("conflict", 409),
  INSUFFICIENT_STOCK("insufficient_stock", 409),
  BACKUP_INVALID("backup_invalid", 409),
  PAYLOAD_TOO_LARGE("payload_too_large", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  RATE_LIMITED("rate_limited", 429),
  INTERNAL_ERROR("internal_error", 500),
  UNAVAILABLE("unavailable", 503),
  TIMEOUT("timeout", 504);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** Returns the snake_case code sent to clients. */
  public String code() {
    return code;
  }

  /** Returns the HTTP status of this error. */
  public int status() {
    return status;
  }

  /** Returns the error code with the given string value, or {@code null} when none matches. */
  public static ErrorCode fromCode(String code) {
    for (ErrorCode value : values()) {
      if (value.code.equals(code)) {
        return value;
      }
    }
    return null;
  }
}
