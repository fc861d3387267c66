package dev.silo.data;

import java.sql.SQLException;

/**
 * The failure of one statement of a {@link TenantConnection#batch}, with the index of the
 * argument list that failed. The SQLite error stays the cause, so {@link SqlErrors} still
 * finds its result code.
 */
final class BatchFailure extends SQLException {

  private final int index;

  BatchFailure(int index, SQLException cause) {
    super("batch element " + index + " failed: " + cause.getMessage(), cause.getSQLState(), cause.getErrorCode(),
      cause);
    this.index = index;
  }

  /** Returns the index in the batch of the argument list whose statement failed. */
  int index() {
    return index;
  }
}
