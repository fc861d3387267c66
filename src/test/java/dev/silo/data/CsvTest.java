package dev.silo.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

  @Test
  void quotedFieldsKeepCommasAndQuotes() {
    List<List<String>> rows = Csv.parse("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n");

    assertThat(rows).containsExactly(List.of("a", "b", "c"), List.of("1", "x, y", "say \"hi\""));
  }

  @Test
  void quotedLineBreakStaysInField() {
    List<List<String>> rows = Csv.parse("a,b\r\n\"two\r\nlines\",\r\n");

    assertThat(rows).containsExactly(List.of("a", "b"), List.of("two\r\nlines", ""));
  }

  @Test
  void lastRowWithoutLineBreak() {
    List<List<String>> rows = Csv.parse("a,b\n1,2");

    assertThat(rows).containsExactly(List.of("a", "b"), List.of("1", "2"));
  }
}
