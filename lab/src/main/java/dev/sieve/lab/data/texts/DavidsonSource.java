package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Davidson et al. 2017 tweets: hate / offensive / neither by CrowdFlower majority, with per-class
 * vote counts. Hate is the only positive; offensive is kept visible in meta ("offensive is not
 * hate"). Votes stay in meta and feed Fleiss' kappa, computed here on the raw rows (before
 * de-duplication) because agreement describes the annotation, not the cleaned dataset.
 */
public final class DavidsonSource extends TextSource {

  static final String[] CLASSES = {"hate", "offensive", "neither"};

  @Override
  public String id() {
    return "davidson";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    List<int[]> votes = new ArrayList<>();
    Map<String, Long> raters = new TreeMap<>();
    List<String> scope = ctx.mapping().scopeOf(id());
    forEachCsvRow(
        ctx,
        "labeled_data.csv",
        (row, line, label) -> {
          String rowId = nz(row.get("")).strip();
          int count;
          int[] v = new int[3];
          int cls;
          try {
            count = Integer.parseInt(nz(row.get("count")).strip());
            v[0] = Integer.parseInt(nz(row.get("hate_speech")).strip());
            v[1] = Integer.parseInt(nz(row.get("offensive_language")).strip());
            v[2] = Integer.parseInt(nz(row.get("neither")).strip());
            cls = Integer.parseInt(nz(row.get("class")).strip());
          } catch (NumberFormatException e) {
            ctx.report()
                .invalid(
                    label,
                    line,
                    BuildReport.Kind.MALFORMED_LINE,
                    "non_numeric_vote",
                    String.valueOf(row));
            return;
          }
          if (cls < 0 || cls > 2 || v[0] + v[1] + v[2] != count || rowId.isEmpty()) {
            ctx.report()
                .invalid(
                    label,
                    line,
                    BuildReport.Kind.INVALID_ENTRY,
                    "inconsistent_votes",
                    String.valueOf(row));
            return;
          }
          votes.add(v);
          raters.merge(String.valueOf(count), 1L, Long::sum);
          Optional<MappingRow> mapping = row(ctx, CLASSES[cls], label, line);
          if (mapping.isEmpty()) {
            return;
          }
          String text = TextCleaner.clean(nz(row.get("tweet")));
          TextDraft d = new TextDraft("davidson:" + rowId, id(), "tweet", text);
          located(d, label, line);
          d.votes = v;
          d.labelScope.addAll(scope);
          apply(d, mapping.get());
          if (ordinary(v, text)) {
            apply(d, ordinaryRow(ctx));
          }
          d.meta.put("davidson_class", CLASSES[cls]);
          putVotes(d);
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    if (!votes.isEmpty()) {
      FleissKappa.Result k = FleissKappa.compute(votes.toArray(new int[0][]));
      TextStats.Agreement a = new TextStats.Agreement();
      a.method = "Fleiss' kappa (variable raters per item), on all raw rows before de-duplication";
      a.items = k.items();
      a.kappa = k.kappa();
      a.observed = k.observed();
      a.expected = k.expected();
      for (int j = 0; j < CLASSES.length; j++) {
        a.perClass.put(CLASSES[j], k.perCategory()[j]);
      }
      a.ratersPerItem.putAll(raters);
      a.notes.add(
          "CrowdFlower added raters when judgments were unreliable, so items with more than 3 raters are the harder ones.");
      ctx.stats().agreement.put(id(), a);
    }
    return out;
  }

  /**
   * Rule D1: a tweet every annotator judged "neither" (not hate, not offensive) that names no
   * sexual or suicide topic is an ordinary tweet: background, the register of user posts that
   * ordinary text otherwise lacks. The screen is narrow on purpose: violent hyperbole ("this song
   * kills") in an inoffensive tweet is exactly the ordinary text a violence classifier must leave
   * alone.
   */
  static boolean ordinary(int[] votes, String text) {
    return votes[0] == 0 && votes[1] == 0 && votes[2] > 0 && !TopicRules.sexualOrSuicideTerms(text);
  }

  private MappingRow ordinaryRow(Context ctx) {
    return requiredRow(ctx, "ordinary_tweet");
  }

  /** Writes the (possibly summed) votes into meta. */
  static void putVotes(TextDraft d) {
    d.meta.put("votes_hate", String.valueOf(d.votes[0]));
    d.meta.put("votes_offensive", String.valueOf(d.votes[1]));
    d.meta.put("votes_neither", String.valueOf(d.votes[2]));
    d.meta.put("annotators", String.valueOf(d.votes[0] + d.votes[1] + d.votes[2]));
  }
}
