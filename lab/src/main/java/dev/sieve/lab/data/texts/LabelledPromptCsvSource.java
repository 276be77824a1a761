package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A CSV of prompts with one source label per row (a hazard or harm area), described as data: which
 * file, which columns hold the id, the text and the label, which metadata columns to keep, how an
 * excluded label is counted. The safety prompt sets share every other rule (label mapping, scope,
 * exclusion, build report), so they share this one reader instead of one copy each.
 *
 * @param id source id (record ids are {@code <id>:<value of idColumn>})
 * @param fileName the CSV under the source's raw folder
 * @param idColumn column with the upstream row id
 * @param textColumn column with the prompt
 * @param labelColumn column with the source label the mapping table maps
 * @param labelMetaKey meta key the label is kept under
 * @param metaColumns further meta keys and the columns they come from, {@code key, column, ...}
 * @param excludeReason build-report reason for a row whose label the mapping excludes
 * @param scopeForSourceLabels whether a row kept only as a source label still gets the source's
 *     scope (a negative for the mapped categories)
 */
public record LabelledPromptCsvSource(
    String id,
    String fileName,
    String idColumn,
    String textColumn,
    String labelColumn,
    String labelMetaKey,
    List<String> metaColumns,
    UnaryOperator<String> excludeReason,
    boolean scopeForSourceLabels) {

  /**
   * SimpleSafetyTests: 100 clearly harmful prompts in five harm areas (one each). Self-harm and
   * violence areas map; the others are kept as source labels; the child-safety area is excluded by
   * rule and only counted.
   */
  public static LabelledPromptCsvSource simpleSafetyTests() {
    return new LabelledPromptCsvSource(
        "safety/sst",
        "simplesafetytests.csv",
        "id",
        "prompts_final",
        "harm_area",
        "harm_area",
        List.of("sst_category", "category"),
        area -> "harm_area_child_safety",
        true);
  }

  /**
   * MLCommons AILuminate demo prompts: one hazard code per prompt. Hazards map to taxonomy ids by
   * the mapping table; since each prompt has exactly one hazard, a prompt of another hazard is a
   * negative for the mapped ones (scope = all mapped ids). Child sexual exploitation ("cse")
   * prompts are excluded by rule and only counted.
   */
  public static LabelledPromptCsvSource ailuminate() {
    return new LabelledPromptCsvSource(
        "safety/ailuminate",
        "airr_official_1.0_demo_en_us_prompt_set_release.csv",
        "release_prompt_id",
        "prompt_text",
        "hazard",
        "hazard",
        List.of("persona", "persona"),
        hazard -> "hazard_" + hazard,
        false);
  }

  public LabelledPromptCsvSource {
    if (metaColumns.size() % 2 != 0) {
      throw new IllegalArgumentException("metaColumns are key, column pairs: " + metaColumns);
    }
    metaColumns = List.copyOf(metaColumns);
  }

  /** This spec as a {@link TextSource} of the dataset build. */
  public TextSource source() {
    return new Reader();
  }

  private final class Reader extends TextSource {

    @Override
    public String id() {
      return LabelledPromptCsvSource.this.id;
    }

    @Override
    public List<TextDraft> read(Context ctx) {
      List<TextDraft> out = new ArrayList<>();
      List<String> scope = ctx.mapping().scopeOf(id());
      forEachCsvRow(
          ctx,
          fileName,
          (row, line, label) -> {
            String sourceLabel = nz(row.get(labelColumn)).strip();
            Optional<MappingRow> mapping = row(ctx, sourceLabel, label, line);
            if (mapping.isEmpty()) {
              return;
            }
            if (mapping.get().action() == MappingRow.Action.EXCLUDE) {
              exclude(ctx, label, excludeReason.apply(sourceLabel));
              return;
            }
            TextDraft d =
                new TextDraft(
                    id() + ":" + nz(row.get(idColumn)).strip(),
                    id(),
                    "prompt",
                    TextCleaner.clean(nz(row.get(textColumn))));
            located(d, label, line);
            if (scopeForSourceLabels || mapping.get().action() != MappingRow.Action.SOURCE_LABEL) {
              d.labelScope.addAll(scope);
            }
            apply(d, mapping.get());
            d.meta.put(labelMetaKey, sourceLabel);
            for (int i = 0; i < metaColumns.size(); i += 2) {
              d.meta.put(metaColumns.get(i), nz(row.get(metaColumns.get(i + 1))).strip());
            }
            out.add(d);
            ctx.report().file(label).accepted++;
          });
      return out;
    }
  }
}
