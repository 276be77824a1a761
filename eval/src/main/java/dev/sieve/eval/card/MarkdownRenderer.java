package dev.sieve.eval.card;

import dev.sieve.core.text.MarkdownTable;
import java.util.List;

/** Renders a card as GitHub-flavoured Markdown (figures appear in the HTML page only). */
public final class MarkdownRenderer {

  private MarkdownRenderer() {}

  public static String render(ModelCard card) {
    return render(CardDocument.build(card, false));
  }

  static String render(Doc doc) {
    StringBuilder sb = new StringBuilder();
    for (Doc.Block b : doc.blocks) {
      switch (b) {
        case Doc.Heading h ->
            sb.append("#".repeat(h.level())).append(' ').append(Fmt.md(h.text())).append("\n\n");
        case Doc.Para p -> sb.append(Fmt.md(p.text())).append("\n\n");
        case Doc.Bullets l -> {
          for (String item : l.items()) {
            sb.append("- ").append(Fmt.md(item)).append('\n');
          }
          sb.append('\n');
        }
        case Doc.Table t -> table(sb, t.headers(), t.rows());
        case Doc.Figure f ->
            sb.append("*Figure (in model-card.html): ").append(Fmt.md(f.caption())).append("*\n\n");
      }
    }
    return sb.toString().stripTrailing() + "\n";
  }

  private static void table(StringBuilder sb, List<String> headers, List<List<String>> rows) {
    if (rows.isEmpty()) {
      sb.append("_(none)_\n\n");
      return;
    }
    MarkdownTable table = MarkdownTable.spaced(headers.stream().map(Fmt::md).toList());
    rows.forEach(row -> table.row(row.stream().map(Fmt::md).toList()));
    table.appendTo(sb).append('\n');
  }
}
