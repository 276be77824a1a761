package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.mapping.MappingRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SimpleSafetyTests: 100 clearly harmful prompts in five harm areas (one each). Self-harm and
 * violence areas map; the others are kept as source labels; the child-safety area is excluded by
 * rule and only counted.
 */
public final class SstSource extends TextSource {

  @Override
  public String id() {
    return "safety/sst";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    Optional<Path> file = file(ctx, "simplesafetytests.csv");
    if (file.isEmpty()) {
      return out;
    }
    String label = label(ctx, file.get());
    List<String> scope = ctx.mapping().scopeOf(id());
    CsvRows.forEach(
        file.get(),
        label,
        ctx.report(),
        (row, line) -> {
          String area = nz(row.get("harm_area")).strip();
          Optional<MappingRow> mapping = row(ctx, area, label, line);
          if (mapping.isEmpty()) {
            return;
          }
          if (mapping.get().action() == MappingRow.Action.EXCLUDE) {
            exclude(ctx, label, "harm_area_child_safety");
            return;
          }
          TextDraft d = new TextDraft(id() + ":" + nz(row.get("id")).strip(), id(), "prompt",
              TextCleaner.clean(nz(row.get("prompts_final"))));
          d.order = line;
          d.file = label;
          d.line = line;
          d.labelScope.addAll(scope);
          apply(d, mapping.get());
          d.meta.put("harm_area", area);
          d.meta.put("sst_category", nz(row.get("category")).strip());
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }
}
