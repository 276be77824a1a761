package dev.sieve.lab.data.texts;

import dev.sieve.core.data.TextRecord;
import dev.sieve.core.util.Sha256;
import dev.sieve.lab.data.Overlays;
import dev.sieve.lab.data.Splitter;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.Progress;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds {@code texts.jsonl.gz}: reads every text source, removes exact and near-exact duplicates
 * within a source, resolves label conflicts among duplicates, applies reviewed overlays and assigns
 * the split by group.
 *
 * <p>Duplicate rule: records with the same {@link TextCleaner#dedupKey} in one source are one text;
 * the first in file order is kept. When they disagree on labels: Davidson sums the votes of all
 * copies and re-takes the plurality (a tie keeps the first copy's class); other sources keep the
 * union of labels (a positive from any copy wins; a missed positive costs more than a false one for
 * a safety classifier). Either way the record gets meta {@code label_conflict=true} and the
 * source's conflict count goes up. Identical texts in different sources are kept (they are
 * different registers and provenance) and share a split because their group is the hash of the same
 * key.
 */
public final class TextDatasetBuilder {

  private final Path rawRoot;
  private final LabelMapping mapping;
  private final Splitter splitter;
  private final BuildReport report;
  private final Overlays overlays;
  private final TextStats stats = new TextStats();

  /** The records and statistics. */
  public record Output(List<TextRecord> texts, TextStats stats) {}

  public TextDatasetBuilder(
      Path rawRoot,
      LabelMapping mapping,
      Splitter splitter,
      BuildReport report,
      Overlays overlays) {
    this.rawRoot = rawRoot;
    this.mapping = mapping;
    this.splitter = splitter;
    this.report = report;
    this.overlays = overlays;
  }

  /** Every text source, in build order. */
  public static List<TextSource> sources() {
    return List.of(
        new DavidsonSource(),
        new CssrsSource(),
        new CurlieSource(),
        LabelledPromptCsvSource.ailuminate().source(),
        new I2pSource(),
        new XstestSource(),
        LabelledPromptCsvSource.simpleSafetyTests().source(),
        new RtpSource(),
        new MedquadSource(),
        new OpenstaxSource(),
        new OneStopEnglishSource(),
        new RecipesSource(),
        new ShakespeareSource(),
        new StormfrontSource(),
        new SbicSource());
  }

  public Output build() {
    TextSource.Context ctx = new TextSource.Context(rawRoot, mapping, report, stats);
    List<TextDraft> kept = new ArrayList<>();
    List<TextSource> sources = sources();
    try (Progress progress = Progress.start("texts: reading and cleaning", sources.size())) {
      for (TextSource source : sources) {
        List<TextDraft> drafts = source.read(ctx);
        stats.rowsRead.put(source.id(), (long) drafts.size());
        kept.addAll(deduplicate(source.id(), drafts));
        progress.advance(1);
      }
    }
    List<TextDraft> annotated = annotationDrafts();
    if (!annotated.isEmpty()) {
      stats.rowsRead.put(Overlays.ANNOTATION, (long) annotated.size());
      kept.addAll(deduplicate(Overlays.ANNOTATION, annotated));
    }
    Map<String, Set<String>> sourcesByKey = new HashMap<>();
    for (TextDraft d : kept) {
      sourcesByKey.computeIfAbsent(d.dedupKey, k -> new TreeSet<>()).add(d.source);
    }
    stats.crossSourceDuplicates = sourcesByKey.values().stream().filter(s -> s.size() > 1).count();
    applyOverlays(kept);
    List<TextRecord> out = new ArrayList<>(kept.size());
    for (TextDraft d : kept) {
      String group = d.group != null ? d.group : "text:" + Sha256.of(d.dedupKey).substring(0, 16);
      if (!d.flags.isEmpty()) {
        d.meta.put("flags", String.join(",", new TreeSet<>(d.flags)));
      }
      out.add(
          new TextRecord(
              d.id,
              d.text,
              List.copyOf(d.labels),
              List.copyOf(d.labelScope),
              d.source,
              d.kind,
              group,
              splitter.split(group).id(),
              d.meta));
    }
    out.sort(Comparator.comparing(TextRecord::id));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).id().equals(out.get(i - 1).id())) {
        // Every consumer keys on the id (predictions, overlays, evidence): a collision is a source
        // bug.
        throw new IllegalStateException(
            "two text records share the id "
                + out.get(i).id()
                + " (sources "
                + out.get(i - 1).source()
                + ", "
                + out.get(i).source()
                + ")");
      }
    }
    return new Output(out, stats);
  }

  /**
   * New texts labelled in the annotation app (overlay lines {@code "record": "text"}), as drafts of
   * source "annotation": cleaned like every source's text, then de-duplicated and split by the same
   * rules (their group is the hash of the near-duplicate key, so a near-copy of a text already in
   * the dataset lands in that text's split). Annotators answer for every category (multi-label), so
   * the labels are complete: scope "*". A later line for the same item replaces an earlier one.
   */
  private List<TextDraft> annotationDrafts() {
    Map<String, Overlays.NewText> byItem = new LinkedHashMap<>();
    for (Overlays.NewText t : overlays.newTexts()) {
      byItem.remove(t.item());
      byItem.put(t.item(), t);
    }
    List<TextDraft> drafts = new ArrayList<>(byItem.size());
    long order = 0;
    for (Overlays.NewText t : byItem.values()) {
      TextDraft d =
          new TextDraft(
              Overlays.ANNOTATION + ":" + t.item(),
              Overlays.ANNOTATION,
              "page_text",
              TextCleaner.clean(t.text()));
      d.labels.addAll(t.categories());
      d.labelScope.add(TextSource.BACKGROUND_SCOPE);
      d.order = order++;
      d.meta.put("overlay", t.overlay());
      d.meta.put("annotators", String.valueOf(t.provenance().annotators()));
      d.meta.put("agreement", String.valueOf(t.provenance().agreement()));
      drafts.add(d);
    }
    return drafts;
  }

  private List<TextDraft> deduplicate(String source, List<TextDraft> drafts) {
    Map<String, List<TextDraft>> byKey = new LinkedHashMap<>();
    drafts.sort(Comparator.comparingLong((TextDraft d) -> d.order).thenComparing(d -> d.id));
    for (TextDraft d : drafts) {
      d.dedupKey = TextCleaner.dedupKey(d.text);
      if (d.dedupKey.isEmpty()) {
        stats.add(stats.emptyAfterCleaning, source, 1);
        if (d.file != null) {
          report.file(d.file).accepted--;
        }
        report.invalid(
            d.file != null ? d.file : source,
            d.line,
            BuildReport.Kind.INVALID_ENTRY,
            "empty_after_cleaning",
            d.id);
        continue;
      }
      byKey.computeIfAbsent(d.dedupKey, k -> new ArrayList<>()).add(d);
    }
    List<TextDraft> out = new ArrayList<>(byKey.size());
    for (List<TextDraft> group : byKey.values()) {
      TextDraft first = group.get(0);
      if (group.size() > 1) {
        boolean conflict = false;
        for (TextDraft other : group.subList(1, group.size())) {
          stats.add(
              other.text.equals(first.text) ? stats.exactDuplicates : stats.nearDuplicates,
              source,
              1);
          if (other.file != null) {
            BuildReport.FileStats fs = report.file(other.file);
            fs.accepted--;
            fs.duplicates++;
          }
          conflict |= !other.labels.equals(first.labels);
        }
        if (first.votes != null) {
          mergeVotes(first, group);
        } else {
          for (TextDraft other : group.subList(1, group.size())) {
            first.labels.addAll(other.labels);
            first.labelScope.addAll(other.labelScope);
            first.flags.addAll(other.flags);
          }
        }
        if (conflict) {
          stats.add(stats.labelConflicts, source, 1);
          first.meta.put("label_conflict", "true");
        }
        first.meta.put("duplicates_merged", String.valueOf(group.size() - 1));
      }
      out.add(first);
    }
    return out;
  }

  /**
   * Davidson: votes of all copies summed, class re-taken by plurality (tie: first copy's class).
   */
  private void mergeVotes(TextDraft first, List<TextDraft> group) {
    int[] sum = new int[3];
    for (TextDraft d : group) {
      for (int j = 0; j < 3; j++) {
        sum[j] += d.votes[j];
      }
    }
    String firstClass = first.meta.get("davidson_class");
    int best = Arrays.asList(DavidsonSource.CLASSES).indexOf(firstClass);
    for (int j = 0; j < 3; j++) {
      if (sum[j] > sum[best]) {
        best = j;
      }
    }
    first.votes = sum;
    DavidsonSource.putVotes(first);
    if (!DavidsonSource.ordinary(sum, first.text)) {
      // Rule D1 holds for the merged votes only: a copy someone found offensive is not ordinary.
      first.labelScope.remove(TextSource.BACKGROUND_SCOPE);
    }
    String cls = DavidsonSource.CLASSES[best];
    if (!cls.equals(firstClass)) {
      MappingRow row = mapping.find("davidson", cls).orElseThrow();
      first.labels.clear();
      if (row.action() == MappingRow.Action.MAP) {
        first.labels.addAll(row.taxonomy());
      }
      first.meta.put("davidson_class", cls);
    }
  }

  private void applyOverlays(List<TextDraft> drafts) {
    Map<String, TextDraft> byId = new HashMap<>();
    for (TextDraft d : drafts) {
      byId.put(d.id, d);
    }
    for (Overlays.Correction c : overlays.forTexts()) {
      TextDraft d = byId.get(c.key());
      if (d == null) {
        report.invalid(
            "overlays/" + c.overlay() + ".jsonl",
            0,
            BuildReport.Kind.INVALID_ENTRY,
            "overlay_id_not_in_dataset",
            c.key());
        continue;
      }
      if (c.add()) {
        d.labels.add(c.category());
        d.labelScope.add(c.category());
      } else {
        d.labels.remove(c.category());
        d.labelScope.add(c.category());
      }
      d.meta.merge("overlay", c.overlay(), (a, b) -> a.contains(b) ? a : a + "," + b);
      stats.add(stats.overlayApplied, c.overlay(), 1);
    }
  }
}
