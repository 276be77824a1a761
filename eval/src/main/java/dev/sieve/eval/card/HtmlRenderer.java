package dev.sieve.eval.card;

import java.util.List;

/**
 * Renders a card as one self-contained HTML page: inline CSS, inline SVG plots, no scripts and no
 * external resources, so it opens anywhere (including an air-gapped reviewer's laptop).
 */
public final class HtmlRenderer {

  private static final String STYLE =
      """
      body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
      h1{border-bottom:2px solid #1f4e9c;padding-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}
      table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.86em}
      th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
      th{background:#eef2f8}tr:nth-child(even) td{background:#fafafa}
      figure{margin:1em 0;overflow-x:auto}figcaption{font-size:.85em;color:#555}
      td{max-width:420px;overflow-wrap:anywhere}
      """;

  private HtmlRenderer() {}

  public static String render(ModelCard card) {
    return render(
        CardDocument.build(card, true),
        "Model card: " + card.modelDetails().name() + " " + card.modelDetails().version());
  }

  /** Any document of the card's model (the drift report uses it) as one self-contained page. */
  static String render(Doc doc, String title) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Fmt.html(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    for (Doc.Block b : doc.blocks) {
      switch (b) {
        case Doc.Heading h ->
            sb.append("<h")
                .append(h.level())
                .append(" id=\"")
                .append(h.anchor())
                .append("\">")
                .append(Fmt.html(h.text()))
                .append("</h")
                .append(h.level())
                .append(">\n");
        case Doc.Para p -> sb.append("<p>").append(Fmt.html(p.text())).append("</p>\n");
        case Doc.Bullets l -> {
          sb.append("<ul>\n");
          for (String item : l.items()) {
            sb.append("<li>").append(Fmt.html(item)).append("</li>\n");
          }
          sb.append("</ul>\n");
        }
        case Doc.Table t -> table(sb, t.headers(), t.rows());
        case Doc.Figure f ->
            sb.append("<figure>\n")
                .append(f.svg())
                .append("\n<figcaption>")
                .append(Fmt.html(f.caption()))
                .append("</figcaption>\n</figure>\n");
      }
    }
    return sb.append("</body>\n</html>\n").toString();
  }

  private static void table(StringBuilder sb, List<String> headers, List<List<String>> rows) {
    if (rows.isEmpty()) {
      sb.append("<p><em>(none)</em></p>\n");
      return;
    }
    sb.append("<table>\n<thead><tr>");
    headers.forEach(h -> sb.append("<th>").append(Fmt.html(h)).append("</th>"));
    sb.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      sb.append("<tr>");
      row.forEach(c -> sb.append("<td>").append(Fmt.html(c)).append("</td>"));
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
  }
}
