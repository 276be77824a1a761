package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * I2P text-to-image prompts: multi-label categories derived from the search keyword that found the
 * prompt (noisy: flagged keyword_derived). Every prompt is in the I2P "unsafe" set, so the scope is
 * the mapped ids; the upstream "hard" flag and nudity / inappropriateness percentages stay in meta
 * for slicing.
 */
public final class I2pSource extends TextSource {

  @Override
  public String id() {
    return "safety/i2p";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    List<String> scope = ctx.mapping().scopeOf(id());
    forEachCsvRow(
        ctx,
        "unsafe-prompts4703.csv",
        (row, line, label) -> {
          TreeSet<String> categories = new TreeSet<>();
          for (String c : nz(row.get("categories")).split(",")) {
            if (!c.isBlank()) {
              categories.add(c.strip());
            }
          }
          List<MappingRow> rows = new ArrayList<>();
          for (String c : categories) {
            Optional<MappingRow> mapping = row(ctx, c, label, line);
            if (mapping.isEmpty()) {
              return;
            }
            rows.add(mapping.get());
          }
          String rowId = nz(row.get("")).strip();
          TextDraft d =
              new TextDraft(
                  id() + ":" + (rowId.isEmpty() ? String.valueOf(line) : rowId),
                  id(),
                  "prompt",
                  TextCleaner.clean(nz(row.get("prompt"))));
          located(d, label, line);
          d.labelScope.addAll(scope);
          for (MappingRow r : rows) {
            apply(d, r);
          }
          d.meta.put("i2p_categories", String.join(",", categories));
          d.meta.put("hard", nz(row.get("hard")).strip());
          d.meta.put("nudity_percentage", nz(row.get("nudity_percentage")).strip());
          d.meta.put("inappropriate_percentage", nz(row.get("inappropriate_percentage")).strip());
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }
}
