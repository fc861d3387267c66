package dev.silo.tenant;

import dev.silo.error.ErrorCode;
import dev.silo.error.SiloException;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validator of tenant ids. Every id that enters Silo (HTTP path, header, JSON
 * body, event-bus header, configuration) passes here before it reaches a path or SQL.
 * <p>
 * A valid id has 3 to 63 characters of {@code [a-z0-9-]}, starts with a letter, does not
 * end with {@code -} and is not a reserved word. That keeps ids safe as file names, URL
 * path segments and DNS labels.
 */
public final class TenantId {

  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 63;

  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");

  /** Words that name Silo's own files, routes or roles. */
  public static final Set<String> RESERVED = Set.of("system", "admin", "api", "health", "ready", "metrics",
    "openapi", "silo", "template", "templates", "tenants", "backups", "orphans", "root", "null", "default",
    "internal", "www", "static", "public");

  private TenantId() {
  }

  /** Returns whether {@code id} is a valid tenant id. */
  public static boolean isValid(String id) {
    return id != null && SHAPE.matcher(id).matches() && !RESERVED.contains(id);
  }

  /**
   * Returns {@code id} when it is valid.
   *
   * @throws SiloException with {@link ErrorCode#INVALID_TENANT_ID} naming the rule it breaks
   */
  public static String validate(String id) {
    if (id == null || id.isEmpty()) {
      throw invalid("the tenant id is missing");
    }
    if (id.length() < MIN_LENGTH || id.length() > MAX_LENGTH) {
      throw invalid("a tenant id has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, got " + id.length());
    }
    if (!SHAPE.matcher(id).matches()) {
      throw invalid("invalid tenant id '" + printable(id) + "': use lowercase letters a-z, digits and '-', "
        + "start with a letter and do not end with '-'");
    }
    if (RESERVED.contains(id)) {
      throw invalid("the tenant id '" + id + "' is reserved");
    }
    return id;
  }

  private static SiloException invalid(String message) {
    return new SiloException(ErrorCode.INVALID_TENANT_ID, message);
  }

  /** Renders a rejected id for a message without echoing control or non-ASCII characters. */
  private static String printable(String id) {
    StringBuilder out = new StringBuilder();
    id.codePoints().forEach(c -> {
      if (c >= 0x20 && c < 0x7f) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.toString();
  }
}
