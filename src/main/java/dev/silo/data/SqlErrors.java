package dev.silo.data;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Turns the SQLite constraint failures that a repository foresees into errors a client
 * can act on. Any other failure passes through unchanged, so the data verticle logs it
 * and replies {@code internal_error}.
 */
final class SqlErrors {

  /** A duplicate {@code INTEGER PRIMARY KEY} or {@code TEXT PRIMARY KEY}. */
  static final SQLiteErrorCode PRIMARY_KEY = SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;

  /** A duplicate value in a {@code UNIQUE} column. */
  static final SQLiteErrorCode UNIQUE = SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;

  /** A reference to a missing row, or a delete of a row that others still reference. */
  static final SQLiteErrorCode FOREIGN_KEY = SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY;

  private SqlErrors() {
  }

  /**
   * Throws {@code replacement} when {@code failure} has result code {@code code}, and
   * returns otherwise, so the caller can check further codes and then rethrow.
   */
  static void throwIf(SQLException failure, SQLiteErrorCode code, Supplier<SiloException> replacement) {
    if (is(failure, code)) {
      throw replacement.get();
    }
  }

  /**
   * Replaces a failure caused by a busy or locked database, which outlasted the busy
   * timeout, with {@code unavailable}: the client may retry. Other failures pass through.
   */
  static Throwable unavailableIfBusy(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException) {
        String name = ((SQLiteException) cause).getResultCode().name();
        if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
          return new SiloException(ErrorCode.UNAVAILABLE, "the tenant's database is busy; retry shortly");
        }
      }
    }
    return failure;
  }

  /** Returns whether {@code failure}, or one of its causes, is a SQLite error with result code {@code code}. */
  static boolean is(Throwable failure, SQLiteErrorCode code) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException && ((SQLiteException) cause).getResultCode() == code) {
        return true;
      }
    }
    return false;
  }
}
