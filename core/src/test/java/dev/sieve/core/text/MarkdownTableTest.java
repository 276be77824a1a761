package dev.sieve.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  @Test
  void compactTablesDrawTheRuleWithoutSpacesAndAlignRightColumns() {
    String table =
        MarkdownTable.compact("category", "F1").alignRight(1).row("adult", 0.91).toString();
    assertThat(table).isEqualTo("| category | F1 |\n|---|---:|\n| adult | 0.91 |\n");
  }

  @Test
  void spacedTablesDrawTheModelCardRuleAndIgnoreAlignment() {
    String table =
        MarkdownTable.spaced(List.of("Field", "Value"))
            .alignRight(1)
            .row(List.of("Split", "test"))
            .toString();
    assertThat(table).isEqualTo("| Field | Value |\n| --- | --- |\n| Split | test |\n");
  }

  @Test
  void aTablePrintedRowByRowIsTheSameTextAsTheWholeTable() {
    MarkdownTable table = MarkdownTable.compact("mode", "load", "goodput/s").alignRight(2);
    String streamed = table.headerLines() + table.rowLine("fifo", "2x", 11.5);
    table.row("fifo", "2x", 11.5);
    assertThat(streamed).isEqualTo(table.toString());
    assertThat(table.isEmpty()).isFalse();
  }

  @Test
  void escapingIsTheCallersButPipesAndLineBreaksHaveAHelper() {
    assertThat(MarkdownTable.escapePipes("a|b\r\nc")).isEqualTo("a\\|b c");
    assertThat(MarkdownTable.escapePipes(null)).isEmpty();
    assertThat(MarkdownTable.compact("x").row("a|b").toString()).endsWith("| a|b |\n");
  }
}
