package dev.sieve.annotate;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sieve.core.util.Sha256;
import dev.sieve.lab.data.texts.FleissKappa;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reference agreement figures: how much the annotators of the public datasets Sieve trains on
 * agreed with each other, computed with the same formulas as the annotation app's dashboard ({@link
 * Agreement}: lab's {@link FleissKappa} for Fleiss' kappa, {@link Agreement#cohenPerPair} for
 * Cohen's kappa). A yardstick for Sieve's own annotators: a team whose kappa on hate is far below
 * the crowd's on the same kind of text needs clearer guidelines, one far above it may be labelling
 * something easier than it thinks.
 *
 * <p>Only what the files really hold is computed. Davidson et al. (2017) give, per tweet, how many
 * CrowdFlower workers chose each class (no worker ids: Fleiss' kappa from the counts, no Cohen's
 * kappa). Social Bias Frames (SBIC v2) has per-annotator files with {@code WorkerId} and {@code
 * HITId} upstream; when one is present, Fleiss' kappa on {@code offensiveYN} and Cohen's kappa per
 * worker pair are computed from it; its aggregated files hold per-post means only, from which no
 * kappa can be recovered, and the figures say so instead of guessing annotator counts.
 */
public final class AgreementReference {

  /** Davidson's classes, in the column order of {@code labeled_data.csv}. */
  static final List<String> DAVIDSON_CLASSES =
      List.of("hate_speech", "offensive_language", "neither");

  /** SBIC's {@code offensiveYN} answers: 1 yes, 0.5 maybe, 0 no. */
  static final List<String> SBIC_CLASSES = List.of("offensive", "maybe", "not_offensive");

  /** Worker pairs need this many common posts for their Cohen's kappa to be reported. */
  static final int MIN_PAIR_ITEMS = 20;

  /** The figures of one dataset file. */
  public record Figures(
      String dataset,
      Path file,
      String sha256,
      long rows,
      List<String> categories,
      FleissKappa.Result fleiss,
      Map<Integer, Long> ratersPerItem,
      CohenSummary cohen,
      List<String> notes) {}

  /** Cohen's kappa over worker pairs with at least {@link #MIN_PAIR_ITEMS} common items. */
  public record CohenSummary(
      int pairs, int undefined, double median, double lowerQuartile, double upperQuartile) {}

  private AgreementReference() {}

  /**
   * Davidson et al.'s {@code labeled_data.csv} (plain or gzipped): per row {@code count} and the
   * number of workers per class; rows whose counts do not add up are skipped and counted.
   */
  static Figures davidson(Path file) throws IOException {
    List<int[]> counts = new ArrayList<>();
    Map<Integer, Long> raters = new TreeMap<>();
    long[] rows = new long[2]; // rows, skipped
    csv(
        file,
        row -> {
          rows[0]++;
          try {
            int n = Integer.parseInt(row.getOrDefault("count", "").strip());
            int[] v = new int[3];
            for (int j = 0; j < 3; j++) {
              v[j] = Integer.parseInt(row.getOrDefault(DAVIDSON_CLASSES.get(j), "").strip());
            }
            if (v[0] + v[1] + v[2] != n || n < 0) {
              rows[1]++;
              return;
            }
            counts.add(v);
            raters.merge(n, 1L, Long::sum);
          } catch (NumberFormatException e) {
            rows[1]++;
          }
        });
    if (counts.isEmpty()) {
      throw new IOException(file + ": no row with count, hate_speech, offensive_language, neither");
    }
    List<String> notes = new ArrayList<>();
    notes.add(
        "CrowdFlower workers per tweet: at least 3; CrowdFlower added workers where judgments were"
            + " unreliable, so items with more raters are the harder ones (Fleiss' kappa with a"
            + " variable number of raters per item).");
    notes.add(
        "No worker ids in the file: Cohen's kappa per annotator pair cannot be computed for this"
            + " dataset.");
    if (rows[1] > 0) {
      notes.add(rows[1] + " rows skipped (counts not adding up, or not numbers).");
    }
    return new Figures(
        "Davidson et al. 2017 (hate speech / offensive / neither, tweets)",
        file,
        Sha256.ofFile(file),
        rows[0],
        DAVIDSON_CLASSES,
        Agreement.fleissFromCounts(counts.toArray(new int[0][])),
        raters,
        null,
        notes);
  }

  /**
   * An SBIC v2 per-annotator file ({@code SBIC.v2.dev.csv}: one row per worker and post, with
   * {@code WorkerId}, {@code HITId} and {@code offensiveYN}): Fleiss' kappa over posts on the three
   * answers, Cohen's kappa per worker pair on "offensive" ({@code offensiveYN >= 0.5}) over the
   * posts both answered.
   */
  static Figures sbicPerAnnotator(Path file) throws IOException {
    Map<String, int[]> byPost = new LinkedHashMap<>();
    List<Agreement.Answer> answers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long[] rows = new long[2];
    csv(
        file,
        row -> {
          rows[0]++;
          String worker = row.getOrDefault("WorkerId", "").strip();
          String post = row.getOrDefault("HITId", "").strip();
          String answer = row.getOrDefault("offensiveYN", "").strip();
          int j;
          switch (answer) {
            case "1", "1.0" -> j = 0;
            case "0.5" -> j = 1;
            case "0", "0.0" -> j = 2;
            default -> j = -1;
          }
          if (worker.isEmpty() || post.isEmpty() || j < 0 || !seen.add(worker + "\t" + post)) {
            rows[1]++;
            return;
          }
          byPost.computeIfAbsent(post, k -> new int[3])[j]++;
          answers.add(new Agreement.Answer(post, worker, j <= 1 ? Set.of("offensive") : Set.of()));
        });
    if (byPost.isEmpty()) {
      throw new IOException(file + ": no row with WorkerId, HITId and offensiveYN 0, 0.5 or 1");
    }
    Map<Integer, Long> raters = new TreeMap<>();
    for (int[] c : byPost.values()) {
      raters.merge(c[0] + c[1] + c[2], 1L, Long::sum);
    }
    List<Double> kappas = new ArrayList<>();
    int undefined = 0;
    for (Agreement.PairKappa p : Agreement.cohenPerPair(answers, List.of("offensive"))) {
      if (p.items() < MIN_PAIR_ITEMS) {
        continue;
      }
      if (Double.isNaN(p.kappa())) {
        undefined++;
      } else {
        kappas.add(p.kappa());
      }
    }
    kappas.sort(null);
    CohenSummary cohen =
        new CohenSummary(
            kappas.size(),
            undefined,
            quantile(kappas, 0.5),
            quantile(kappas, 0.25),
            quantile(kappas, 0.75));
    List<String> notes = new ArrayList<>();
    notes.add(
        "Fleiss' kappa on offensiveYN (yes / maybe / no) per post; Cohen's kappa per worker pair"
            + " with at least "
            + MIN_PAIR_ITEMS
            + " common posts, on offensive = offensiveYN >= 0.5.");
    if (rows[1] > 0) {
      notes.add(rows[1] + " rows skipped (no worker or post id, another answer, or a repeat).");
    }
    return new Figures(
        "Social Bias Frames v2 (offensiveYN, per annotator)",
        file,
        Sha256.ofFile(file),
        rows[0],
        SBIC_CLASSES,
        Agreement.fleissFromCounts(byPost.values().toArray(new int[0][])),
        raters,
        cohen,
        notes);
  }

  /** The q-quantile (linear interpolation) of sorted values; NaN when there are none. */
  static double quantile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    double pos = q * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
  }

  /** SBIC per-annotator files in {@code dir} (not the aggregated {@code SBIC.v2.agg.*} ones). */
  static List<Path> sbicPerAnnotatorFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p -> p.getFileName().toString().matches("SBIC\\.v2\\.(trn|dev|tst)\\.csv(\\.gz)?"))
          .sorted()
          .toList();
    }
  }

  /** SBIC aggregated files in {@code dir} (what a note names when no per-annotator file is). */
  static List<Path> sbicAggregatedFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("SBIC.v2.agg.")).sorted().toList();
    }
  }

  /** Reads a CSV with a header row (gzipped when the name ends in .gz), row by row. */
  static void csv(Path file, Consumer<Map<String, String>> sink) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        MappingIterator<Map<String, String>> it =
            mapper.readerFor(Map.class).with(schema).readValues(reader)) {
      while (it.hasNextValue()) {
        sink.accept(it.nextValue());
      }
    }
  }

  /** The first existing file among {@code candidates}. */
  static Optional<Path> first(List<Path> candidates) {
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "undefined" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
