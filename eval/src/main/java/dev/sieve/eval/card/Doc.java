package dev.sieve.eval.card;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tiny document model (headings, paragraphs, tables, lists, figures) that the Markdown and HTML
 * renderers share, so both pages carry exactly the same content in the same order.
 */
final class Doc {

  sealed interface Block permits Heading, Para, Table, Bullets, Figure {}

  record Heading(int level, String text, String anchor) implements Block {}

  record Para(String text) implements Block {}

  record Table(List<String> headers, List<List<String>> rows) implements Block {}

  record Bullets(List<String> items) implements Block {}

  /** An inline SVG figure; Markdown shows only the caption with a pointer to the HTML page. */
  record Figure(String svg, String caption) implements Block {}

  final List<Block> blocks = new ArrayList<>();

  Doc h(int level, String text) {
    String anchor =
        text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    blocks.add(new Heading(level, text, anchor));
    return this;
  }

  Doc p(String text) {
    if (text != null && !text.isBlank()) {
      blocks.add(new Para(text));
    }
    return this;
  }

  Doc table(List<String> headers, List<List<String>> rows) {
    blocks.add(new Table(List.copyOf(headers), rows.stream().map(List::copyOf).toList()));
    return this;
  }

  Doc bullets(List<String> items) {
    if (!items.isEmpty()) {
      blocks.add(new Bullets(List.copyOf(items)));
    }
    return this;
  }

  Doc figure(String svg, String caption) {
    blocks.add(new Figure(svg, caption));
    return this;
  }
}
