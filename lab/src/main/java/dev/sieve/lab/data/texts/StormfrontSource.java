package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stormfront sentences (de Gibert et al. 2018): one record per sentence, labelled hate / noHate /
 * relation / idk/skip by annotators. {@code group} = the post the sentence came from (the file id
 * before '_'), so sentences of one post share a split. noHate sentences are hate negatives only:
 * they come from a white-supremacist forum and are never ordinary text.
 */
public final class StormfrontSource extends TextSource {

  @Override
  public String id() {
    return "hate/stormfront";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    List<String> scope = ctx.mapping().scopeOf(id());
    forEachCsvRow(
        ctx,
        "stormfront_sentences.csv",
        (row, line, label) -> {
          String fileId = nz(row.get("file_id")).strip();
          String cls = nz(row.get("label")).strip();
          if (fileId.isEmpty()) {
            ctx.report()
                .invalid(
                    label,
                    line,
                    BuildReport.Kind.INVALID_ENTRY,
                    "missing_file_id",
                    String.valueOf(row));
            return;
          }
          Optional<MappingRow> mapping = row(ctx, cls, label, line);
          if (mapping.isEmpty()) {
            return;
          }
          if (mapping.get().action() == MappingRow.Action.EXCLUDE) {
            exclude(ctx, label, cls);
            return;
          }
          TextDraft d =
              located(
                  new TextDraft(
                      id() + ":" + fileId,
                      id(),
                      "forum_post",
                      TextCleaner.clean(nz(row.get("text")))),
                  label,
                  line);
          int underscore = fileId.indexOf('_');
          d.group = "stormfront:" + (underscore > 0 ? fileId.substring(0, underscore) : fileId);
          if (mapping.get().action() != MappingRow.Action.SOURCE_LABEL) {
            d.labelScope.addAll(scope);
          }
          apply(d, mapping.get());
          d.meta.put("stormfront_label", cls);
          d.meta.put("subforum", nz(row.get("subforum_id")).strip());
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }
}
