package dev.silo.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader of CSV files with a header row (RFC 4180): fields may be quoted, and a
 * quoted field may contain commas, line breaks and doubled quotes.
 */
final class Csv {

  private Csv() {
  }

  /** Reads a UTF-8 file and returns one map a record, from column name to field text. */
  static List<Map<String, String>> read(Path file) throws IOException {
    List<List<String>> rows = parse(Files.readString(file, StandardCharsets.UTF_8));
    List<String> header = rows.get(0);
    List<Map<String, String>> records = new ArrayList<>(rows.size() - 1);
    for (List<String> row : rows.subList(1, rows.size())) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException(file + ": a record has " + row.size() + " fields but the header has "
          + header.size() + ": " + row);
      }
      Map<String, String> record = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        record.put(header.get(i), row.get(i));
      }
      records.add(record);
    }
    return records;
  }

  /** Splits text into rows of fields. A line break at the end of the text ends the last row. */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c != '"') {
          field.append(c);
        } else if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
