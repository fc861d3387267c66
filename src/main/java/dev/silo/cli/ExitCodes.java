package dev.silo.cli;

/**
 * Exit codes of the admin commands, derived from the HTTP status of the server's reply.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><th>code</th><th>when</th></tr>
 *   <tr><td>0</td><td>success (2xx)</td></tr>
 *   <tr><td>1</td><td>any other failure: server unreachable, 5xx, timeout, a migration job that ended failed</td></tr>
 *   <tr><td>2</td><td>usage error: unknown command or option, missing argument</td></tr>
 *   <tr><td>3</td><td>not found (404)</td></tr>
 *   <tr><td>4</td><td>conflict or invalid request (409, 400, 413, 415)</td></tr>
 *   <tr><td>5</td><td>authentication or permission (401, 403), or no token found</td></tr>
 * </table>
 */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int CONFLICT_OR_INVALID = 4;
  public static final int AUTH = 5;

  private ExitCodes() {
  }

  /** Returns the exit code for an HTTP status that is not a success. */
  public static int forStatus(int status) {
    switch (status) {
      case 401:
      case 403:
        return AUTH;
      case 404:
        return NOT_FOUND;
      case 400:
      case 409:
      case 413:
      case 415:
        return CONFLICT_OR_INVALID;
      default:
        return FAILURE;
    }
  }
}
