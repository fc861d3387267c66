package dev.silo.util;

import dev.silo.error.SiloException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor paging of lists: {@code limit} (default 100, at most 1000) and {@code after}, the
 * cursor of the last item of the previous page. Replies are
 * {@code {"items": [...], "next": <cursor or null>}}.
 */
public final class Page {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** A blocking query for the rows after a text cursor, in cursor order. */
  @FunctionalInterface
  public interface TextCursorQuery {
    List<JsonObject> fetch(String after, int limit) throws SQLException;
  }

  private Page() {
  }

  /** Reads {@code limit} from a request, given as a JSON number or as the text of a query parameter. */
  public static int limit(JsonObject request) {
    Object raw = request.getValue("limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    long value;
    try {
      value = raw instanceof String ? Long.parseLong((String) raw) : Fields.requiredLong(request, "limit", 1, MAX_LIMIT);
    } catch (NumberFormatException e) {
      throw SiloException.invalid("'limit' must be a whole number from 1 to " + MAX_LIMIT);
    }
    if (value < 1 || value > MAX_LIMIT) {
      throw SiloException.invalid("'limit' must be from 1 to " + MAX_LIMIT + ", got " + value);
    }
    return (int) value;
  }

  /** Reads {@code after} as text, or {@code null} for the first page. */
  public static String afterText(JsonObject request, int maxLength) {
    Object raw = request.getValue("after");
    if (raw == null) {
      return null;
    }
    String value = raw.toString();
    if (value.isEmpty() || value.length() > maxLength) {
      throw SiloException.invalid("'after' must be a cursor of 1 to " + maxLength + " characters");
    }
    return value;
  }

  /** Reads {@code after} as a whole number (an integer id), or {@code null} for the first page. */
  public static Long afterId(JsonObject request) {
    Object raw = request.getValue("after");
    if (raw == null) {
      return null;
    }
    try {
      long value = raw instanceof Number ? Fields.requiredLong(request, "after", 0, Long.MAX_VALUE)
        : Long.parseLong(raw.toString());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw SiloException.invalid("'after' must be the id of the last item of the previous page, a whole number >= 0");
    }
  }

  /**
   * Builds a page from rows fetched with {@code LIMIT limit + 1}: the extra row only
   * shows that a next page exists.
   */
  public static JsonObject of(List<JsonObject> rows, int limit, Function<JsonObject, Object> cursor) {
    boolean more = rows.size() > limit;
    List<JsonObject> items = more ? rows.subList(0, limit) : rows;
    Object next = more ? cursor.apply(items.get(items.size() - 1)) : null;
    return new JsonObject().put("items", new JsonArray(items)).put("next", next == null ? null : next.toString());
  }

  /**
   * Reads {@code limit} and a text {@code after} of at most {@code maxCursorLength}
   * characters from the request, runs the query for one row more than the limit and
   * builds the page, whose cursor is the field {@code cursorField} of the last item.
   * Blocking, because the query is.
   */
  public static JsonObject byTextCursor(JsonObject request, int maxCursorLength, String cursorField,
                                        TextCursorQuery query) throws SQLException {
    int limit = limit(request);
    String after = afterText(request, maxCursorLength);
    return of(query.fetch(after, limit + 1), limit, row -> row.getValue(cursorField));
  }
}
