package dev.silo.admin;

import dev.silo.bus.SiloReplyException;
import dev.silo.error.SiloException;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteException;

/**
 * Turns the failure of one tenant's migration into a short message that staff may see
 * in a migrate-all job. The message names the SQLite result code or the Flyway error
 * code. It contains no SQL text, file path or stack trace, because those stay in the log.
 */
final class MigrationErrors {

  /** Causes followed at most, so a cyclic cause chain cannot loop forever. */
  private static final int MAX_CAUSE_DEPTH = 20;

  private MigrationErrors() {
  }

  /** Returns the message for a tenant whose migration to {@code targetVersion} failed. */
  static String describe(Throwable failure, String targetVersion) {
    String reason = reason(failure);
    return "migration to schema version " + targetVersion + " failed"
      + (reason == null ? "" : ": " + reason) + ". The server log has the details.";
  }

  private static String reason(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++) {
      if (cause instanceof SQLiteException sqlite) {
        return "SQLite error " + sqlite.getResultCode().name();
      }
      SiloException known = SiloReplyException.toSiloException(cause);
      if (known != null) {
        return known.getMessage();
      }
      cause = cause.getCause();
    }
    if (failure instanceof FlywayException flyway && flyway.getErrorCode() instanceof Enum<?> code) {
      return "Flyway error " + code.name();
    }
    return null;
  }
}
