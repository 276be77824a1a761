package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.mapping.MappingRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MLCommons AILuminate demo prompts: one hazard code per prompt. Hazards map to taxonomy ids by the
 * mapping table; since each prompt has exactly one hazard, a prompt of another hazard is a negative
 * for the mapped ones (scope = all mapped ids). Child sexual exploitation ("cse") prompts are
 * excluded by rule and only counted.
 */
public final class AiluminateSource extends TextSource {

  @Override
  public String id() {
    return "safety/ailuminate";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    Optional<Path> file = file(ctx, "airr_official_1.0_demo_en_us_prompt_set_release.csv");
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
          String hazard = nz(row.get("hazard")).strip();
          Optional<MappingRow> mapping = row(ctx, hazard, label, line);
          if (mapping.isEmpty()) {
            return;
          }
          if (mapping.get().action() == MappingRow.Action.EXCLUDE) {
            exclude(ctx, label, "hazard_" + hazard);
            return;
          }
          TextDraft d =
              new TextDraft(id() + ":" + nz(row.get("release_prompt_id")).strip(), id(), "prompt",
                  TextCleaner.clean(nz(row.get("prompt_text"))));
          d.order = line;
          d.file = label;
          d.line = line;
          if (mapping.get().action() != MappingRow.Action.SOURCE_LABEL) {
            d.labelScope.addAll(scope);
          }
          apply(d, mapping.get());
          d.meta.put("hazard", hazard);
          d.meta.put("persona", nz(row.get("persona")).strip());
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }
}
