package dev.sieve.content.bench;

import com.google.protobuf.ByteString;
import dev.sieve.content.ContentTier;
import dev.sieve.content.extract.Chunk;
import dev.sieve.content.extract.ExtractedPage;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.extract.TextChunker;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.content.serve.ContentTierScorer;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.core.util.Settings;
import dev.sieve.proto.v1.ScoreRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Content tier benchmark: pages/s and latency at batch size 1 versus dynamic batching, in one run
 * on one machine, plus where the time goes (extraction, encoder, head), memory and load time.
 *
 * <p>Closed loop: {@code --concurrency} client threads call the tier's scorer in-process (the code
 * the gRPC service runs, minus the transport) until {@code --requests} requests are done. Two
 * workloads: web pages built from the dataset's test texts wrapped in HTML (several chunks each)
 * and short texts (one chunk each). Not part of the test suite; run it as
 *
 * <pre>
 * java -cp "cli/target/lib/*" \
 *     dev.sieve.content.bench.ContentBench [--device cpu|gpu] [--out docs/bench-content.md]
 * </pre>
 */
@Command(
    name = "content-bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark the content tier: batch size 1 vs dynamic batching, encoder/head split, memory.")
public final class ContentBench implements Callable<Integer> {

  @Option(
      names = "--model",
      description =
          "Model version directory (default: $SIEVE_HOME/models/content-minilm-mlp/RELEASED).")
  Path model;

  @Option(
      names = "--dataset",
      description =
          "Dataset version dir or datasets dir with CURRENT (default: $SIEVE_HOME/data/datasets); "
              + "synthetic text when absent.")
  Path dataset;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--requests",
      defaultValue = "400",
      description = "Requests per mode and workload (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "Client threads (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--max-batch",
      defaultValue = "16",
      description = "Dynamic batching: max batch size (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--max-delay-ms",
      defaultValue = "5",
      description = "Dynamic batching: max queue delay (default: ${DEFAULT-VALUE}).")
  int maxDelayMs;

  @Option(
      names = "--page-words",
      defaultValue = "600",
      description = "Words per synthetic web page (default: ${DEFAULT-VALUE}).")
  int pageWords;

  @Option(
      names = "--sessions",
      defaultValue = "0",
      description = "Encoder sessions on CPU (0 = one per core).")
  int sessions;

  @Option(names = "--out", description = "Append the Markdown result to this file.")
  Path out;

  record Result(
      String workload,
      String mode,
      int requests,
      double seconds,
      double[] latenciesMs,
      double meanBatch,
      double encoderMsPerPage,
      double headMsPerPage,
      double chunksPerPage) {

    double pagesPerSecond() {
      return requests / seconds;
    }

    double percentile(double q) {
      double[] sorted = latenciesMs.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
    Path modelDir =
        model != null
            ? model
            : ContentModel.releasedVersion(home.resolve("models").resolve(ContentTier.MODEL_NAME));
    boolean gpu = device.equalsIgnoreCase("gpu");
    List<String> texts = loadTexts(home);
    List<String> pages = buildPages(texts, pageWords);
    List<String> shortTexts =
        texts.stream().filter(t -> t.split("\\s+").length <= 60).limit(2000).toList();

    long loadStart = System.nanoTime();
    try (ContentTier tier =
        ContentTier.open(
            new ContentTier.Options(
                modelDir,
                gpu,
                sessions,
                BatcherConfig.unbatched(1024),
                ExtractionLimits.fromSettings(ExtractionLimits.DEFAULT_WORDS_PER_CHUNK)))) {
      long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
      tier.warmUp();
      StringBuilder md = new StringBuilder();
      md.append("### Content tier run ").append(Instant.now()).append("\n\n");
      md.append("- Machine: ").append(machine()).append("\n");
      md.append("- Model: `")
          .append(modelDir)
          .append("` (head ")
          .append(tier.model().config().artifactBytes())
          .append(" bytes, encoder ")
          .append(tier.encoder().id())
          .append(" on ")
          .append(tier.encoder().device())
          .append(", head on ")
          .append(tier.model().head().device())
          .append("); load + verify ")
          .append(loadMs)
          .append(" ms\n");
      md.append("- Load: closed loop, ")
          .append(concurrency)
          .append(" client threads calling the scorer in-process, ")
          .append(requests)
          .append(" requests per row; dynamic = max batch ")
          .append(maxBatch)
          .append(", max queue delay ")
          .append(maxDelayMs)
          .append(" ms; encoder sessions ")
          .append(tier.encoder().options().sessions())
          .append(" x ")
          .append(tier.encoder().options().threadsPerSession())
          .append(" thread(s)\n");
      md.append("- Workloads: `pages` = HTML pages of ~")
          .append(pageWords)
          .append(" words built from ")
          .append(texts.size() > 0 ? "dataset test texts" : "synthetic text")
          .append(" (nav, footer, script included); ")
          .append("`short` = single-chunk texts (tweets, prompts)\n");
      md.append(
          "- Speed-up: pages/s relative to the batch-size-1 row of the same workload, measured in this run\n");
      md.append("- Extraction + chunking (caller threads, single-threaded cost): ")
          .append(fmt(extractionMs(tier.scorer().extractor(), pages)))
          .append(" ms/page\n\n");

      List<Result> results = new ArrayList<>();
      for (String workload : List.of("pages", "short")) {
        List<ScoreRequest> requestsList =
            (workload.equals("pages") ? pages : shortTexts)
                .stream()
                    .map(
                        t ->
                            workload.equals("pages")
                                ? ScoreRequest.newBuilder()
                                    .setHtml(ByteString.copyFromUtf8(t))
                                    .build()
                                : ScoreRequest.newBuilder()
                                    .setText(ByteString.copyFromUtf8(t))
                                    .build())
                    .toList();
        int instances = tier.encoder().options().sessions();
        results.add(
            run(
                tier,
                workload,
                "batch size 1",
                BatcherConfig.unbatched(4 * concurrency),
                requestsList));
        results.add(
            run(
                tier,
                workload,
                "dynamic",
                new BatcherConfig(maxBatch, Duration.ofMillis(maxDelayMs), 4 * concurrency, 1),
                requestsList));
        // Not batching but concurrency: one batch-1 worker per encoder session (Triton's instance
        // count).
        results.add(
            run(
                tier,
                workload,
                "batch size 1 x " + instances + " workers",
                new BatcherConfig(1, Duration.ZERO, 4 * concurrency, instances),
                requestsList));
      }
      MarkdownTable table =
          MarkdownTable.compact(
              "workload",
              "mode",
              "pages/s",
              "p50 ms",
              "p99 ms",
              "mean batch",
              "chunks/page",
              "encoder ms/page",
              "head ms/page",
              "speed-up");
      for (int i = 0; i < results.size(); i++) {
        Result r = results.get(i);
        // Speed-up against the batch-size-1 row of the same workload (the first of each group of
        // 3).
        String speedup = fmt(r.pagesPerSecond() / results.get(i - i % 3).pagesPerSecond()) + "x";
        table.row(
            r.workload(),
            r.mode(),
            fmt(r.pagesPerSecond()),
            fmt(r.percentile(0.50)),
            fmt(r.percentile(0.99)),
            fmt(r.meanBatch()),
            fmt(r.chunksPerPage()),
            fmt(r.encoderMsPerPage()),
            fmt(r.headMsPerPage()),
            speedup);
      }
      table.appendTo(md);
      System.gc();
      Runtime rt = Runtime.getRuntime();
      md.append("\nMemory after the run: RSS ")
          .append(rssMb())
          .append(" MiB, heap used ")
          .append((rt.totalMemory() - rt.freeMemory()) >> 20)
          .append(" MiB (max ")
          .append(rt.maxMemory() >> 20)
          .append(" MiB); encoder chunks truncated at 128 word pieces: ")
          .append(tier.encoder().textsTruncated())
          .append(" of ")
          .append(tier.encoder().textsEncoded())
          .append("\n\n");
      System.out.print(md);
      if (out != null) {
        Files.writeString(
            out,
            md.toString(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    }
    return 0;
  }

  private Result run(
      ContentTier tier, String workload, String mode, BatcherConfig config, List<ScoreRequest> pool)
      throws Exception {
    try (ContentTierScorer scorer =
        new ContentTierScorer(tier.model(), tier.scorer().extractor(), config)) {
      // Warm this batcher path briefly (not measured).
      for (int i = 0; i < Math.min(8, pool.size()); i++) {
        scorer.score(pool.get(i));
      }
      long encoder0 = scorer.timings().encoderNanos();
      long head0 = scorer.timings().headNanos();
      long chunks0 = scorer.timings().chunks();
      long pages0 = scorer.timings().pages();
      long batches0 = scorer.batcher().stats().batches();
      long computed0 = scorer.batcher().stats().computed();
      double[] latencies = new double[requests];
      AtomicInteger next = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(concurrency);
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        futures.add(
            clients.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < requests) {
                    long t0 = System.nanoTime();
                    scorer.score(pool.get(i % pool.size()));
                    latencies[i] = (System.nanoTime() - t0) / 1e6;
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      clients.shutdown();
      long pages = scorer.timings().pages() - pages0;
      long batches = scorer.batcher().stats().batches() - batches0;
      long computed = scorer.batcher().stats().computed() - computed0;
      return new Result(
          workload,
          mode,
          requests,
          seconds,
          latencies,
          batches == 0 ? 0 : (double) computed / batches,
          (scorer.timings().encoderNanos() - encoder0) / 1e6 / Math.max(1, pages),
          (scorer.timings().headNanos() - head0) / 1e6 / Math.max(1, pages),
          (double) (scorer.timings().chunks() - chunks0) / Math.max(1, pages));
    }
  }

  private double extractionMs(PageExtractor extractor, List<String> pages) {
    TextChunker chunker = new TextChunker(extractor.limits());
    long start = System.nanoTime();
    int n = 0;
    long chunkCount = 0;
    for (int round = 0; round < 2; round++) {
      for (String page : pages) {
        ExtractedPage extracted = extractor.extractHtml(page);
        List<Chunk> chunks = chunker.chunk(extracted);
        chunkCount += chunks.size();
        n++;
      }
    }
    if (chunkCount < 0) {
      throw new IllegalStateException("unreachable");
    }
    return (System.nanoTime() - start) / 1e6 / Math.max(1, n);
  }

  private List<String> loadTexts(Path home) {
    Path datasets = dataset != null ? dataset : home.resolve("data").resolve("datasets");
    try {
      DatasetVersion version =
          Files.isRegularFile(datasets.resolve(DatasetVersion.MANIFEST))
              ? DatasetVersion.open(datasets)
              : DatasetVersion.current(datasets);
      List<String> texts = new ArrayList<>();
      version.forEachText(
          (TextRecord r) -> {
            if ("test".equals(r.split()) && r.text() != null && !r.text().isBlank()) {
              texts.add(r.text());
            }
          });
      Collections.shuffle(texts, new Random(42));
      return texts;
    } catch (RuntimeException e) {
      System.err.println("no dataset (" + e.getMessage() + "); using synthetic text");
      return synthetic();
    }
  }

  static List<String> synthetic() {
    String[] words =
        ("school library students read write science history music art game sport team news "
                + "weather city market store price online video music friend family home garden travel food recipe "
                + "health doctor learn class teacher lesson book page chapter story world people time year day")
            .split(" ");
    Random random = new Random(7);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      int n = 10 + random.nextInt(40);
      for (int w = 0; w < n; w++) {
        s.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      out.add(s.append('.').toString());
    }
    return out;
  }

  /** Web-page-like HTML from consecutive texts until {@code words} words. */
  static List<String> buildPages(List<String> texts, int words) {
    List<String> pages = new ArrayList<>();
    int i = 0;
    for (int p = 0; p < 200 && !texts.isEmpty(); p++) {
      StringBuilder body = new StringBuilder();
      int count = 0;
      String title = texts.get(i % texts.size());
      while (count < words) {
        String t = texts.get(i++ % texts.size());
        body.append("<p>").append(escape(t)).append("</p>\n");
        count += t.split("\\s+").length;
      }
      pages.add(
          "<!DOCTYPE html><html><head><title>"
              + escape(title.length() > 60 ? title.substring(0, 60) : title)
              + "</title><meta name=\"description\" content=\"Community posts and articles\">"
              + "<script>var analytics = {id: 42};</script><style>p{margin:0}</style></head><body>"
              + "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/forum\">Forum</a></nav>"
              + "<main><h1>Posts</h1>"
              + body
              + "</main><footer>Contact us. Privacy policy.</footer></body></html>");
    }
    return pages;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse(cpu);
    } catch (IOException ignored) {
      // not Linux
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), Java "
        + Runtime.version()
        + ", load average at start "
        + fmt(load);
  }

  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return -1;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ContentBench()).execute(args));
  }
}
