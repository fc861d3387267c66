package dev.silo.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints replies as an aligned text table, or as JSON with {@code --json}. */
final class Output {

  /** One column of a table: its heading and the JSON field it shows. */
  record Column(String heading, String field) {
  }

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** Prints one object: as a table with one row, or as its JSON. */
  void object(JsonObject value, List<Column> columns) {
    if (json) {
      out.println(value.encodePrettily());
    } else {
      table(List.of(value), columns);
    }
    out.flush();
  }

  /** Prints rows: as a table, or as a JSON object {@code {"items": [...]}}. */
  void list(List<JsonObject> rows, List<Column> columns) {
    if (json) {
      out.println(new JsonObject().put("items", rows).encodePrettily());
    } else {
      table(rows, columns);
    }
    out.flush();
  }

  /** Prints a sentence, or the given JSON with {@code --json}. */
  void message(String text, JsonObject asJson) {
    out.println(json ? asJson.encodePrettily() : text);
    out.flush();
  }

  private void table(List<JsonObject> rows, List<Column> columns) {
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[columns.size()];
    String[] headings = new String[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      headings[i] = columns.get(i).heading();
      widths[i] = headings[i].length();
    }
    for (JsonObject row : rows) {
      String[] line = new String[columns.size()];
      for (int i = 0; i < columns.size(); i++) {
        Object value = row.getValue(columns.get(i).field());
        line[i] = value == null ? "-" : value.toString();
        widths[i] = Math.max(widths[i], line[i].length());
      }
      cells.add(line);
    }
    printRow(headings, widths);
    cells.forEach(line -> printRow(line, widths));
  }

  private void printRow(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      line.append(i == cells.length - 1 ? cells[i] : String.format("%-" + widths[i] + "s", cells[i]));
    }
    out.println(line);
  }
}
