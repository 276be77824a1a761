package dev.sieve.llm.bench;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.llm.category.CatalogLoader;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.embedded.EmbeddingBackend;
import dev.sieve.llm.embedded.MiniLmSentenceEncoder;
import dev.sieve.llm.embedded.TextChunker;
import dev.sieve.llm.embedded.ZeroShotScorer;
import dev.sieve.llm.input.InputRenderer;
import dev.sieve.llm.input.ScoringInput;
import dev.sieve.proto.v1.ScoreRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Latency and throughput of the embedded backend, outside the test run (speed is measured here,
 * never asserted in tests). Prints a markdown section for docs/benchmarks.md.
 *
 * <p>Run after {@code ./mvnw -B -q -pl llm-fallback-service package -DskipTests}:
 *
 * <pre>
 * java -cp "cli/target/lib/*" \
 *   dev.sieve.llm.bench.EmbeddedBackendBenchmark [calls=300]
 * </pre>
 *
 * Measures: (1) p50/p90/p99 of one {@code EmbeddingBackend.score} call (all 9 categories) for a
 * URL-only request, a short text (1 chunk) and a page (about 500 words, 7 chunks), one caller; (2)
 * encoder throughput for short texts: one {@code embed} call per text versus {@code embedAll}
 * batches of 8 and 32 (langchain4j runs a batch's texts in parallel, one ONNX run each, on one
 * thread per core); (3) serving throughput with 1, 2 and 4 concurrent callers of {@code score}
 * (short texts).
 */
public final class EmbeddedBackendBenchmark {

  private static final String SHORT =
      "Welcome to Lucky Spin Casino! Play slots, blackjack and roulette and get a bonus on your first deposit.";

  private EmbeddedBackendBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Path dir = Path.of("config/categories");
    CategoryCatalog catalog =
        CatalogLoader.isCategoryDirectory(dir)
            ? CatalogLoader.fromDirectory(dir)
            : CatalogLoader.fromClasspath();
    long t0 = System.nanoTime();
    MiniLmSentenceEncoder encoder = new MiniLmSentenceEncoder();
    ZeroShotScorer scorer =
        new ZeroShotScorer(encoder, new TextChunker(MiniLmSentenceEncoder.MAX_WORDS, 12));
    EmbeddingBackend backend = new EmbeddingBackend(scorer, Calibration.none(), 64);
    backend.prepare(catalog);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;

    StringBuilder page = new StringBuilder();
    String[] sentences = {
      "The school board met on Tuesday to discuss the new library hours and the lunch menu.",
      "Students in the science club built a weather station on the roof of the gym.",
      "Parents can register for conferences online until the end of the month.",
      "The football team won its third game in a row after a late touchdown.",
      "Our online casino offers slots and roulette with a deposit bonus for new players."
    };
    for (int i = 0; page.toString().split("\\s+").length < 500; i++) {
      page.append(sentences[i % sentences.length]).append(' ');
    }
    ScoringInput urlInput =
        new InputRenderer()
            .render(
                ScoreRequest.newBuilder()
                    .setUrl("https://www.lucky-spin-casino.example/slots/bonus")
                    .build());
    ScoringInput shortInput = ScoringInput.ofText(SHORT);
    ScoringInput pageInput = ScoringInput.ofText(page.toString().strip());

    StringBuilder md = new StringBuilder();
    MarkdownTable latency =
        MarkdownTable.compact(
            "workload", "chunks", "calls", "p50 ms", "p90 ms", "p99 ms", "mean ms");
    for (Object[] w :
        new Object[][] {
          {"URL only", urlInput},
          {"short text (~20 words)", shortInput},
          {"page (~500 words)", pageInput}
        }) {
      ScoringInput input = (ScoringInput) w[1];
      double[] ms = latencies(backend, catalog, input, calls);
      latency.row(
          w[0],
          scorer.chunker().chunk(input.textToEmbed()).chunks().size(),
          calls,
          f2(pct(ms, 50)),
          f2(pct(ms, 90)),
          f2(pct(ms, 99)),
          f2(Arrays.stream(ms).average().orElse(0)));
    }
    latency.appendTo(md);

    MarkdownTable throughput = MarkdownTable.compact("encoder throughput, short texts", "texts/s");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 512; i++) {
      texts.add(SHORT + " Offer " + i + ".");
    }
    encoder.embed(texts.subList(0, 64));
    long s = System.nanoTime();
    for (String text : texts) {
      encoder.embed(List.of(text));
    }
    throughput.row(
        "one embed call per text (sequential)", f0(texts.size() / ((System.nanoTime() - s) / 1e9)));
    for (int batch : new int[] {8, 32}) {
      s = System.nanoTime();
      for (int i = 0; i < texts.size(); i += batch) {
        encoder.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
      }
      throughput.row(
          "embedAll, batches of " + batch, f0(texts.size() / ((System.nanoTime() - s) / 1e9)));
    }
    throughput.appendTo(md.append('\n'));

    MarkdownTable concurrent =
        MarkdownTable.compact(
            "concurrent callers of score (short text, 9 categories)",
            "requests/s",
            "p50 ms",
            "p99 ms");
    for (int threads : new int[] {1, 2, 4}) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      int perThread = Math.max(50, calls / threads);
      List<Future<double[]>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> latencies(backend, catalog, shortInput, perThread)));
      }
      List<Double> all = new ArrayList<>();
      for (Future<double[]> f : futures) {
        for (double v : f.get()) {
          all.add(v);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      double[] ms = all.stream().mapToDouble(Double::doubleValue).toArray();
      concurrent.row(threads, f0(ms.length / seconds), f2(pct(ms, 50)), f2(pct(ms, 99)));
    }
    concurrent.appendTo(md.append('\n'));
    String machine =
        Runtime.getRuntime().availableProcessors()
            + " CPU cores, Java "
            + Runtime.version()
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + cpuModel()
            + "; load average at the end (1/5/15 min): "
            + loadAverage();
    System.out.println(
        "Machine: "
            + machine
            + ". Encoder load + prototype embedding: "
            + String.format(Locale.ROOT, "%.2f s", loadSeconds)
            + ". Calibration: none (same cost as fitted).\n");
    System.out.println(md);
  }

  private static double[] latencies(
      EmbeddingBackend backend, CategoryCatalog catalog, ScoringInput input, int calls)
      throws ScoringException {
    for (int i = 0; i < 20; i++) {
      backend.score(input, catalog, catalog.categories(), Duration.ofSeconds(10));
    }
    double[] ms = new double[calls];
    for (int i = 0; i < calls; i++) {
      long s = System.nanoTime();
      backend.score(input, catalog, catalog.categories(), Duration.ofSeconds(10));
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    return ms;
  }

  private static double pct(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> ", " + l.substring(l.indexOf(':') + 1).strip())
          .orElse("");
    } catch (Exception e) {
      return "";
    }
  }

  private static String f0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
