package dev.sieve.annotate;

import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.lab.data.texts.FleissKappa;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Agreement figures for the dashboard.
 *
 * <ul>
 *   <li>Cohen's kappa per annotator pair: over the items both labelled (unsure answers left out),
 *       each (item, category) is one binary decision of each annotator; {@code kappa = (p_o - p_e)
 *       / (1 - p_e)} with {@code p_e} from each annotator's own positive rate.
 *   <li>Fleiss' kappa per category: each category is a yes/no rating of every item with two or more
 *       (sure) answers, computed by lab's {@link FleissKappa} (one formula in the code base).
 *   <li>Gold accuracy per annotator: the share of gold items whose answer equals the known answer
 *       exactly (all categories), and per-decision accuracy over (item, category).
 * </ul>
 *
 * NaN means undefined (no overlap, or a category nobody ever chose: agreement on "no" only).
 */
public final class Agreement {

  /** One answer as the formulas need it. */
  public record Answer(String itemId, String annotator, Set<String> categories) {}

  public record PairKappa(String a, String b, int items, double kappa) {}

  public record CategoryKappa(String category, int items, int positives, double kappa) {}

  public record GoldAccuracy(
      String annotator, int items, int exact, double exactRate, double decisionAccuracy) {}

  private Agreement() {}

  /**
   * Fleiss' kappa from counts ({@code counts[i][j]} = raters who put item i in category j; any
   * number of raters per item, items with fewer than two skipped): overall and per category (each
   * category against the rest, Fleiss 1971), through lab's {@link FleissKappa}. The entry point for
   * datasets that publish counts, not answers (Davidson et al.'s CrowdFlower counts).
   */
  public static FleissKappa.Result fleissFromCounts(int[][] counts) {
    return FleissKappa.compute(counts);
  }

  public static List<PairKappa> cohenPerPair(List<Answer> answers, List<String> categories) {
    Map<String, Map<String, Set<String>>> byAnnotator = new TreeMap<>();
    for (Answer a : answers) {
      byAnnotator
          .computeIfAbsent(a.annotator(), k -> new TreeMap<>())
          .put(a.itemId(), a.categories());
    }
    List<String> names = new ArrayList<>(byAnnotator.keySet());
    List<PairKappa> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        Map<String, Set<String>> x = byAnnotator.get(names.get(i));
        Map<String, Set<String>> y = byAnnotator.get(names.get(j));
        List<String> common = x.keySet().stream().filter(y::containsKey).toList();
        if (common.isEmpty()) {
          continue;
        }
        double n = 0;
        double agree = 0;
        double xPos = 0;
        double yPos = 0;
        for (String item : common) {
          for (String c : categories) {
            boolean a = x.get(item).contains(c);
            boolean b = y.get(item).contains(c);
            n++;
            if (a == b) {
              agree++;
            }
            if (a) {
              xPos++;
            }
            if (b) {
              yPos++;
            }
          }
        }
        out.add(
            new PairKappa(names.get(i), names.get(j), common.size(), cohen(n, agree, xPos, yPos)));
      }
    }
    return out;
  }

  static double cohen(double n, double agree, double xPos, double yPos) {
    double po = agree / n;
    double pe = (xPos / n) * (yPos / n) + (1 - xPos / n) * (1 - yPos / n);
    return pe == 1 ? Double.NaN : (po - pe) / (1 - pe);
  }

  public static List<CategoryKappa> fleissPerCategory(
      List<Answer> answers, List<String> categories) {
    Map<String, List<Set<String>>> byItem = new TreeMap<>();
    for (Answer a : answers) {
      byItem.computeIfAbsent(a.itemId(), k -> new ArrayList<>()).add(a.categories());
    }
    List<List<Set<String>>> rated = byItem.values().stream().filter(l -> l.size() >= 2).toList();
    List<CategoryKappa> out = new ArrayList<>();
    for (String c : categories) {
      if (rated.isEmpty()) {
        out.add(new CategoryKappa(c, 0, 0, Double.NaN));
        continue;
      }
      int[][] counts = new int[rated.size()][2];
      int positives = 0;
      for (int i = 0; i < rated.size(); i++) {
        for (Set<String> s : rated.get(i)) {
          if (s.contains(c)) {
            counts[i][0]++;
            positives++;
          } else {
            counts[i][1]++;
          }
        }
      }
      out.add(new CategoryKappa(c, rated.size(), positives, FleissKappa.compute(counts).kappa()));
    }
    return out;
  }

  public static List<GoldAccuracy> goldAccuracy(
      List<Answer> answers, Map<String, Set<String>> gold) {
    Map<String, int[]> acc = new TreeMap<>();
    List<String> categories = Taxonomy.v1().ids();
    for (Answer a : answers) {
      Set<String> truth = gold.get(a.itemId());
      if (truth == null) {
        continue;
      }
      int[] s = acc.computeIfAbsent(a.annotator(), k -> new int[3]);
      s[0]++;
      if (truth.equals(a.categories())) {
        s[1]++;
      }
      for (String c : categories) {
        if (truth.contains(c) == a.categories().contains(c)) {
          s[2]++;
        }
      }
    }
    List<GoldAccuracy> out = new ArrayList<>();
    acc.forEach(
        (k, s) ->
            out.add(
                new GoldAccuracy(
                    k,
                    s[0],
                    s[1],
                    (double) s[1] / s[0],
                    (double) s[2] / (s[0] * (double) categories.size()))));
    return out;
  }

  /** Sure answers from the database. */
  static List<Answer> sureAnswers(Database db) {
    return db.query(
        "SELECT l.item_id, a.username, l.categories FROM labels l JOIN accounts a ON a.id = l.account_id WHERE l.unsure = 0",
        rs -> new Answer(rs.getString(1), rs.getString(2), Item.labelSet(rs.getString(3))));
  }

  static Map<String, Set<String>> gold(Database db) {
    Map<String, Set<String>> out = new TreeMap<>();
    db.query(
        "SELECT id, gold_labels FROM items WHERE gold_labels IS NOT NULL",
        rs -> out.put(rs.getString(1), Item.labelSet(rs.getString(2))));
    return out;
  }
}
