package dev.sieve.eval.data;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.eval.Example;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a dataset version's records into {@link Example}s with the slice attributes the standard
 * reports on: input (url/text), kind, source, TLD, popularity, text length, noise flags and
 * protected slices.
 */
public final class DatasetExamples {

  /** Which files of a dataset version to evaluate on. */
  public enum Inputs {
    /** domains.jsonl.gz: listed hosts (positive-only labels). */
    DOMAINS,
    /** background.jsonl.gz: ordinary popular hosts (weak negatives for every category). */
    BACKGROUND,
    /** texts.jsonl.gz: tweets, posts, site descriptions, prompts, ordinary text. */
    TEXTS,
    /** pages.jsonl.gz: real web pages as raw HTML (evaluation only, dev and test). */
    PAGES;

    public static Set<Inputs> parse(String csv) {
      Set<Inputs> out = EnumSet.noneOf(Inputs.class);
      for (String s : csv.split(",")) {
        if (!s.isBlank()) {
          out.add(valueOf(s.strip().toUpperCase(Locale.ROOT)));
        }
      }
      return out;
    }
  }

  public static final String INPUT = "input";
  public static final String URL = "url";
  public static final String TEXT = "text";
  public static final String HTML = "html";

  private DatasetExamples() {}

  /** Examples of one split (null = every split) from the chosen files, in file order. */
  public static List<Example> load(
      DatasetVersion dataset, Set<Inputs> inputs, String split, ProtectedSlices slices) {
    List<Example> out = new ArrayList<>();
    if (inputs.contains(Inputs.DOMAINS)) {
      dataset.forEachDomain(
          r -> {
            if (split == null || split.equals(r.split())) {
              out.add(fromDomain(r, false, slices));
            }
          });
    }
    if (inputs.contains(Inputs.BACKGROUND)) {
      dataset.forEachBackground(
          r -> {
            if (split == null || split.equals(r.split())) {
              out.add(fromDomain(r, true, slices));
            }
          });
    }
    if (inputs.contains(Inputs.TEXTS)) {
      dataset.forEachText(
          r -> {
            if (split == null || split.equals(r.split())) {
              out.add(fromText(r, slices));
            }
          });
    }
    if (inputs.contains(Inputs.PAGES)) {
      dataset.forEachPage(
          r -> {
            if (split == null || split.equals(r.split())) {
              out.add(fromPage(r, slices));
            }
          });
    }
    return out;
  }

  /** A host record as an example; {@code fromBackgroundFile} marks background.jsonl.gz rows. */
  public static Example fromDomain(
      DomainRecord r, boolean fromBackgroundFile, ProtectedSlices slices) {
    boolean background =
        fromBackgroundFile && r.labels().isEmpty() && r.labelScope().contains(Example.ALL);
    Map<String, List<String>> s = new TreeMap<>();
    s.put(INPUT, List.of(URL));
    s.put("kind", List.of(fromBackgroundFile ? "background" : "domain"));
    List<String> sources = new ArrayList<>(r.sources().keySet());
    s.put(
        "source",
        sources.isEmpty() ? List.of(fromBackgroundFile ? "background" : "(none)") : sources);
    s.put("tld", List.of(tld(r)));
    s.put("popularity", List.of(popularity(r.rank())));
    if (!r.flags().isEmpty()) {
      s.put("flag", r.flags());
    }
    List<String> prot = slices.of(r);
    if (!prot.isEmpty()) {
      s.put("protected", prot);
    }
    return new Example(
        "domain:" + r.host(),
        r.host(),
        r.split(),
        Set.copyOf(r.labels()),
        Set.copyOf(r.labelScope()),
        s,
        r.sources(),
        r.flags(),
        background);
  }

  public static Example fromText(TextRecord r, ProtectedSlices slices) {
    Map<String, List<String>> s = new TreeMap<>();
    s.put(INPUT, List.of(TEXT));
    s.put("kind", List.of(r.kind() == null ? "text" : r.kind()));
    s.put("source", List.of(r.source() == null ? "(none)" : r.source()));
    s.put("length", List.of(lengthBucket(r.text() == null ? 0 : r.text().length())));
    List<String> prot = slices.of(r);
    if (!prot.isEmpty()) {
      s.put("protected", prot);
    }
    Map<String, List<String>> provenance = new TreeMap<>();
    if (r.source() != null) {
      provenance.put(r.source(), r.labels());
    }
    // Ordinary text (label scope "*") is the text background: the denominator of every text
    // false-flag rate, as the background hosts are for URLs.
    return new Example(
        "text:" + r.id(),
        r.text(),
        r.split(),
        Set.copyOf(r.labels()),
        Set.copyOf(r.labelScope()),
        s,
        provenance,
        flags(r.meta()),
        r.labelScope().contains(Example.ALL));
  }

  /** A real page: scored as HTML (extraction included), background when its scope is "*". */
  public static Example fromPage(PageRecord r, ProtectedSlices slices) {
    Map<String, List<String>> s = new TreeMap<>();
    s.put(INPUT, List.of(HTML));
    s.put("kind", List.of(r.kind() == null ? "page" : r.kind()));
    s.put("source", List.of(r.source() == null ? "(none)" : r.source()));
    s.put("length", List.of(lengthBucket(r.html() == null ? 0 : r.html().length())));
    TextRecord asText =
        new TextRecord(
            r.id(),
            r.articleText(),
            r.labels(),
            r.labelScope(),
            r.source(),
            r.kind(),
            r.group(),
            r.split(),
            r.meta());
    List<String> prot = slices.of(asText);
    if (!prot.isEmpty()) {
      s.put("protected", prot);
    }
    Map<String, List<String>> provenance = new TreeMap<>();
    if (r.source() != null) {
      provenance.put(r.source(), r.labels());
    }
    return new Example(
        "page:" + r.id(),
        r.html(),
        r.split(),
        Set.copyOf(r.labels()),
        Set.copyOf(r.labelScope()),
        s,
        provenance,
        flags(r.meta()),
        r.labelScope().contains(Example.ALL));
  }

  private static List<String> flags(Map<String, String> meta) {
    String f = meta == null ? null : meta.get("flags");
    return f == null || f.isBlank() ? List.of() : List.of(f.split("[,;\\s]+"));
  }

  /** Whether an example is scored as raw HTML (a page) rather than plain text. */
  public static boolean isHtml(Example e) {
    return e.slice(INPUT).contains(HTML);
  }

  /** Whether an example is scored as a URL (host) rather than a text. */
  public static boolean isUrl(Example e) {
    return e.slice(INPUT).contains(URL);
  }

  static String tld(DomainRecord r) {
    String rd =
        r.registeredDomain() == null || r.registeredDomain().isEmpty()
            ? r.host()
            : r.registeredDomain();
    int dot = rd.indexOf('.');
    return dot < 0 ? "(none)" : rd.substring(dot + 1);
  }

  static String popularity(int rank) {
    if (rank <= 0) {
      return "unranked";
    }
    if (rank <= 1_000) {
      return "top 1k";
    }
    if (rank <= 10_000) {
      return "top 10k";
    }
    if (rank <= 100_000) {
      return "top 100k";
    }
    return "long tail (>100k)";
  }

  static String lengthBucket(int chars) {
    if (chars <= 140) {
      return "short (<=140 chars)";
    }
    if (chars <= 1000) {
      return "medium (141-1000)";
    }
    return "long (>1000)";
  }
}
