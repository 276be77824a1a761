package dev.sieve.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Markdown (GitHub pipe) table: a header line, a rule line, one line per row, each cell written
 * as {@code "| " + cell + " "} and every line closed by {@code "|"}.
 *
 * <p>Why one writer: cards, data cards, training reports and benchmark tables were each laying out
 * pipes by hand in about nine places. Two rule styles exist because committed documents use both
 * and must re-render byte for byte: {@link Rule#SPACED} ({@code | --- |}, the model card) and
 * {@link Rule#COMPACT} ({@code |---|}, the data card and the training reports).
 *
 * <p>Cells are written as given: escaping is the caller's, because each document has its own rules
 * (a model card escapes Markdown emphasis, a data card only pipes and line breaks); {@link
 * #escapePipes} is the common minimum.
 */
public final class MarkdownTable {

  /** How the line under the header is drawn. */
  public enum Rule {
    /** {@code | --- | --- |} */
    SPACED,
    /** {@code |---|---|}, with {@code ---:} for right-aligned columns */
    COMPACT
  }

  private final List<String> header;
  private final Rule rule;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  private MarkdownTable(List<String> header, Rule rule) {
    this.header = List.copyOf(header);
    this.rule = rule;
    this.rightAligned = new boolean[header.size()];
  }

  /** A table whose rule line is {@code | --- |}. */
  public static MarkdownTable spaced(List<String> header) {
    return new MarkdownTable(header, Rule.SPACED);
  }

  /** A table whose rule line is {@code |---|}. */
  public static MarkdownTable compact(List<String> header) {
    return new MarkdownTable(header, Rule.COMPACT);
  }

  /** A table whose rule line is {@code |---|}. */
  public static MarkdownTable compact(String... header) {
    return compact(Arrays.asList(header));
  }

  /** Right-aligns a column ({@code ---:}); only {@link Rule#COMPACT} tables draw alignment. */
  public MarkdownTable alignRight(int column) {
    rightAligned[column] = true;
    return this;
  }

  /** Appends a row; its cells are written as given (see {@link #escapePipes}). */
  public MarkdownTable row(List<String> cells) {
    rows.add(List.copyOf(cells));
    return this;
  }

  /** Appends a row of {@code String.valueOf} each cell. */
  public MarkdownTable row(Object... cells) {
    List<String> out = new ArrayList<>(cells.length);
    for (Object c : cells) {
      out.add(String.valueOf(c));
    }
    rows.add(out);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Writes the header, the rule and the rows, each line ending in a newline. */
  public StringBuilder appendTo(StringBuilder sb) {
    appendHeader(sb);
    for (List<String> row : rows) {
      line(sb, row);
    }
    return sb;
  }

  /**
   * The header and rule lines alone, for a table printed row by row as its rows are measured (a
   * benchmark that runs for minutes shows each level when it is done); see {@link #rowLine}.
   */
  public String headerLines() {
    return appendHeader(new StringBuilder()).toString();
  }

  /** One row's line (newline included) in this table's layout, for a table printed row by row. */
  public String rowLine(Object... cells) {
    List<String> out = new ArrayList<>(cells.length);
    for (Object c : cells) {
      out.add(String.valueOf(c));
    }
    StringBuilder sb = new StringBuilder();
    line(sb, out);
    return sb.toString();
  }

  private StringBuilder appendHeader(StringBuilder sb) {
    line(sb, header);
    sb.append('|');
    for (int i = 0; i < header.size(); i++) {
      sb.append(
          switch (rule) {
            case SPACED -> " --- |";
            case COMPACT -> rightAligned[i] ? "---:|" : "---|";
          });
    }
    sb.append('\n');
    return sb;
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder()).toString();
  }

  /** The minimum a cell needs: pipes escaped, line breaks folded to a space. */
  public static String escapePipes(String cell) {
    return cell == null ? "" : cell.replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }

  private static void line(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      sb.append(' ').append(c).append(" |");
    }
    sb.append('\n');
  }
}
