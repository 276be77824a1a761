package dev.sieve.lab.data.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.lab.data.io.BuildReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Social Bias Frames v2 (Sap et al. 2020), aggregated dev and test files: posts from Twitter,
 * Reddit, Gab and Stormfront with annotator means for offensiveness, intent, lewdness ({@code
 * sexYN}), whether a group is targeted ({@code whoTarget}) and the target category.
 *
 * <p>Labels come from documented rules, one mapping row each:
 *
 * <ul>
 *   <li>hate: offensive ({@code offensiveYN >= 0.5}), group-targeted ({@code whoTarget >= 0.5}) and
 *       aimed at a protected attribute ({@link #PROTECTED}); offensive group attacks on other
 *       targets (body, victims, social groups) stay unlabelled; everything else is a hate negative;
 *   <li>adult: a negative when no annotator saw a sexual reference ({@code sexYN = 0}); lewd posts
 *       ({@code sexYN >= 0.5}) are a source label, not adult (the data README: lewd is not the
 *       pornography category);
 *   <li>ordinary: inoffensive, non-sexual posts of the general-purpose samples ({@link
 *       #ORDINARY_SAMPLES}) are background, the only ordinary text in the register of user posts.
 * </ul>
 *
 * Rows duplicated from the davidson and hate/stormfront sources and sexual references to children
 * ({@link TopicRules#childSexual}) are excluded and counted.
 */
public final class SbicSource extends TextSource {

  static final List<String> FILES = List.of("SBIC.v2.agg.dev.csv", "SBIC.v2.agg.tst.csv");

  /** SBIC target categories that are protected attributes in the taxonomy's definition of hate. */
  static final Set<String> PROTECTED = Set.of("race", "culture", "gender", "disabled");

  /** Samples of general-purpose posts (not drawn from hate or joke communities). */
  static final Set<String> ORDINARY_SAMPLES =
      Set.of("t/founta", "t/waseem", "redditMicroagressions");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String id() {
    return "hate/sbic";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    for (String name : FILES) {
      String part = name.contains(".dev.") ? "dev" : "tst";
      forEachCsvRow(
          ctx,
          name,
          (row, line, label) -> {
            String dataSource = nz(row.get("dataSource")).strip();
            String text = TextCleaner.clean(nz(row.get("post")));
            double offensive;
            double sex;
            double who;
            Set<String> targets = new TreeSet<>();
            try {
              offensive = number(row.get("offensiveYN"));
              sex = number(row.get("sexYN"));
              who = number(row.get("whoTarget"));
              JsonNode categories =
                  JSON.readTree(
                      nz(row.get("targetCategory")).isBlank() ? "[]" : row.get("targetCategory"));
              categories.forEach(c -> targets.add(c.asText()));
            } catch (Exception e) {
              ctx.report()
                  .invalid(
                      label,
                      line,
                      BuildReport.Kind.MALFORMED_LINE,
                      "non_numeric_annotation",
                      String.valueOf(row));
              return;
            }
            if (dataSource.equals("t/davidson")) {
              exclude(ctx, label, "duplicate_of_davidson");
              return;
            }
            if (dataSource.equals("Stormfront")) {
              exclude(ctx, label, "duplicate_of_stormfront");
              return;
            }
            if (TopicRules.childSexual(text, sex >= 0.5)) {
              exclude(ctx, label, "child_sexual_reference");
              return;
            }
            TextDraft d =
                located(
                    new TextDraft(
                        id() + ":" + part + "-" + nz(row.get("")).strip(),
                        id(),
                        dataSource.startsWith("t/") ? "tweet" : "post",
                        text),
                    label,
                    line);
            boolean groupAttack = offensive >= 0.5 && who >= 0.5;
            boolean protectedTarget = targets.stream().anyMatch(PROTECTED::contains);
            apply(
                d,
                requiredRow(
                    ctx,
                    groupAttack
                        ? (protectedTarget ? "protected_group_attack" : "other_group_attack")
                        : "not_group_attack"));
            if (sex == 0) {
              apply(d, requiredRow(ctx, "no_sexual_reference"));
            } else if (sex >= 0.5) {
              apply(d, requiredRow(ctx, "lewd"));
            }
            if (offensive == 0 && sex == 0 && ORDINARY_SAMPLES.contains(dataSource)) {
              apply(d, requiredRow(ctx, "ordinary_post"));
            }
            d.meta.put("sbic_source", dataSource);
            d.meta.put("offensive", fmt(offensive));
            d.meta.put("lewd", fmt(sex));
            d.meta.put("group_target", fmt(who));
            d.meta.put("target_category", String.join(",", targets));
            out.add(d);
            ctx.report().file(label).accepted++;
          });
    }
    return out;
  }

  /** An annotator mean; an empty cell (no annotation) reads as 0. */
  private static double number(String s) {
    return s == null || s.isBlank() ? 0 : Double.parseDouble(s.strip());
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
