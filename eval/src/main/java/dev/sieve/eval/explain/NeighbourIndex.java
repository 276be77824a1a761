package dev.sieve.eval.explain;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.Split;
import dev.sieve.core.data.TextRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the training examples nearest to a disputed input: for URLs the hosts of the same
 * registered domain, then the highest character-3-gram Jaccard similarity over training hosts; for
 * texts the highest TF-IDF cosine over training texts. Brute force on purpose: it runs once per
 * investigation, and exactness beats an index that needs tuning.
 */
public final class NeighbourIndex {

  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
  static final int TEXT_CHARS = 240;

  private final List<DomainRecord> trainHosts;
  private final Map<String, DomainRecord> allHosts;
  private final List<TextRecord> trainTexts;
  private Map<String, Double> idf;
  private List<Map<String, Double>> textVectors;

  public NeighbourIndex(
      List<DomainRecord> trainHosts,
      Map<String, DomainRecord> allHosts,
      List<TextRecord> trainTexts) {
    this.trainHosts = trainHosts;
    this.allHosts = allHosts;
    this.trainTexts = trainTexts;
  }

  /** Loads the train split (hosts from domains and background, texts) of a dataset version. */
  public static NeighbourIndex load(DatasetVersion ds, boolean hosts, boolean texts) {
    String train = Split.TRAIN.id();
    List<DomainRecord> trainHosts = new ArrayList<>();
    Map<String, DomainRecord> all = new HashMap<>();
    List<TextRecord> trainTexts = new ArrayList<>();
    if (hosts) {
      ds.forEachDomain(
          r -> {
            all.put(r.host(), r);
            if (train.equals(r.split())) {
              trainHosts.add(r);
            }
          });
      ds.forEachBackground(
          r -> {
            all.putIfAbsent(r.host(), r);
            if (train.equals(r.split())) {
              trainHosts.add(r);
            }
          });
    }
    if (texts) {
      ds.forEachText(
          r -> {
            if (train.equals(r.split())) {
              trainTexts.add(r);
            }
          });
    }
    return new NeighbourIndex(trainHosts, all, trainTexts);
  }

  /** The dataset record of a listed host (any split): what a LIST_MATCH evidence points to. */
  public Optional<DomainRecord> listed(String host) {
    return Optional.ofNullable(allHosts.get(host));
  }

  /** Same-registered-domain training hosts first, then by 3-gram Jaccard; at most {@code k}. */
  public List<Neighbour> nearestHosts(String host, String registeredDomain, int k) {
    Set<String> q = trigrams(host);
    List<Neighbour> out = new ArrayList<>();
    List<Object[]> scored = new ArrayList<>();
    for (DomainRecord r : trainHosts) {
      if (registeredDomain != null && registeredDomain.equals(r.registeredDomain())) {
        out.add(neighbour(r, 1.0, "same registered domain"));
        continue;
      }
      double j = jaccard(q, trigrams(r.host()));
      if (j > 0) {
        scored.add(new Object[] {r, j});
      }
    }
    out.sort(Comparator.comparing(Neighbour::input));
    if (out.size() >= k) {
      return out.subList(0, k);
    }
    scored.sort(
        Comparator.<Object[]>comparingDouble(a -> -(double) a[1])
            .thenComparing(a -> ((DomainRecord) a[0]).host()));
    for (Object[] a : scored) {
      if (out.size() >= k) {
        break;
      }
      out.add(neighbour((DomainRecord) a[0], (double) a[1], "char-3-gram Jaccard"));
    }
    return out;
  }

  /** Highest TF-IDF cosine training texts; at most {@code k}. */
  public List<Neighbour> nearestTexts(String text, int k) {
    if (textVectors == null) {
      buildTextIndex();
    }
    Map<String, Double> q = vector(tokens(text));
    List<Object[]> scored = new ArrayList<>();
    for (int i = 0; i < textVectors.size(); i++) {
      double dot = 0;
      for (Map.Entry<String, Double> e : q.entrySet()) {
        Double v = textVectors.get(i).get(e.getKey());
        if (v != null) {
          dot += v * e.getValue();
        }
      }
      if (dot > 0) {
        scored.add(new Object[] {i, dot});
      }
    }
    scored.sort(
        Comparator.<Object[]>comparingDouble(a -> -(double) a[1])
            .thenComparing(a -> trainTexts.get((int) a[0]).id()));
    List<Neighbour> out = new ArrayList<>();
    for (Object[] a : scored.subList(0, Math.min(k, scored.size()))) {
      TextRecord r = trainTexts.get((int) a[0]);
      String t =
          r.text().length() > TEXT_CHARS ? r.text().substring(0, TEXT_CHARS) + "…" : r.text();
      out.add(
          new Neighbour(
              t,
              (double) a[1],
              "TF-IDF cosine",
              r.labels(),
              r.labelScope(),
              Map.of(r.source() == null ? "(none)" : r.source(), r.labels()),
              List.of(),
              r.split()));
    }
    return out;
  }

  static Neighbour neighbour(DomainRecord r, double sim, String how) {
    return new Neighbour(
        r.host(), sim, how, r.labels(), r.labelScope(), r.sources(), r.flags(), r.split());
  }

  private void buildTextIndex() {
    Map<String, Integer> df = new HashMap<>();
    List<List<String>> docs = new ArrayList<>();
    for (TextRecord r : trainTexts) {
      List<String> t = tokens(r.text() == null ? "" : r.text());
      docs.add(t);
      new HashSet<>(t).forEach(w -> df.merge(w, 1, Integer::sum));
    }
    int n = docs.size();
    idf = new HashMap<>();
    df.forEach((w, d) -> idf.put(w, Math.log((n + 1.0) / (d + 1.0)) + 1));
    textVectors = new ArrayList<>(n);
    for (List<String> d : docs) {
      textVectors.add(vector(d));
    }
  }

  private Map<String, Double> vector(List<String> tokens) {
    Map<String, Double> tf = new HashMap<>();
    tokens.forEach(t -> tf.merge(t, 1.0, Double::sum));
    double norm = 0;
    Map<String, Double> v = new HashMap<>();
    for (Map.Entry<String, Double> e : tf.entrySet()) {
      double w = e.getValue() * idf.getOrDefault(e.getKey(), 0.0);
      if (w > 0) {
        v.put(e.getKey(), w);
        norm += w * w;
      }
    }
    double n = Math.sqrt(norm);
    if (n > 0) {
      v.replaceAll((k, w) -> w / n);
    }
    return v;
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Character 3-grams of "^host$" (the anchors make prefixes and suffixes count). */
  static Set<String> trigrams(String host) {
    String s = "^" + host + "$";
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 3 <= s.length(); i++) {
      out.add(s.substring(i, i + 3));
    }
    return out;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    int inter = 0;
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    for (String s : small) {
      if (large.contains(s)) {
        inter++;
      }
    }
    return (double) inter / (a.size() + b.size() - inter);
  }
}
