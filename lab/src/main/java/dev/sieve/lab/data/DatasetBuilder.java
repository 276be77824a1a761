package dev.sieve.lab.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import dev.sieve.lab.data.card.DataCard;
import dev.sieve.lab.data.domains.DomainDatasetBuilder;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.JsonlGzWriter;
import dev.sieve.lab.data.io.Progress;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.pages.PagesBuilder;
import dev.sieve.lab.data.texts.TextDatasetBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code ./sieve data build}: raw sources in, one dataset version out.
 *
 * <p>Steps: load the mapping and overlays; build the host files and the text file; check the error
 * budget (fail naming the file and the measured value); write the gzipped JSONL outputs
 * byte-deterministically; compute the version id from the outputs' SHA-256, the mapping version and
 * the split seed; write {@code manifest.json}, {@code build-report.json} and the data card; point
 * {@code CURRENT} at the version. Rebuilding from the same inputs gives the same id.
 *
 * <p>Every committed file of a version (manifest, build report, data card) is a function of the
 * inputs alone, so a rebuild leaves {@code git status} clean. What depends on the machine (wall and
 * CPU time, load average, CPUs, JDK) goes to {@code build-timings.json}, which is not committed and
 * which {@code ./sieve data card --timings} prints.
 */
public final class DatasetBuilder {

  /** Build settings. */
  public record Options(
      Path rawRoot,
      Path outRoot,
      Path mappingFile,
      Path overlaysDir,
      String seed,
      double maxInvalidFraction,
      int maxFileErrors,
      boolean updateCurrent) {}

  /** The outcome: the version directory, or the budget violations when the build failed. */
  public record Result(
      Path versionDir, String versionId, List<String> budgetViolations, double seconds) {
    public boolean ok() {
      return budgetViolations.isEmpty();
    }
  }

  public static final String DEFAULT_SEED = "sieve-split-v1";
  public static final String BUILD_REPORT = "build-report.json";

  /**
   * Machine-dependent figures of the last build on this machine: never committed
   * (data/datasets/.gitignore).
   */
  public static final String BUILD_TIMINGS = "build-timings.json";

  private static final List<String> OUTPUT_FILES =
      List.of(
          DatasetVersion.DOMAINS,
          DatasetVersion.BACKGROUND,
          DatasetVersion.TEXTS,
          DatasetVersion.PAGES);

  private final Options options;
  private final PrintStream log;

  public DatasetBuilder(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  public Result build() throws IOException {
    long start = System.nanoTime();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    LabelMapping mapping = LabelMapping.load(options.mappingFile());
    BuildReport report = new BuildReport();
    Overlays overlays = Overlays.load(options.overlaysDir(), report);
    Splitter splitter = new Splitter(options.seed());

    // Hosts and texts are independent: build them on two threads (the build machine has 2 cores).
    ExecutorService textThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "texts"));
    DomainDatasetBuilder.Output domains;
    TextDatasetBuilder.Output texts;
    List<PageRecord> pages;
    try {
      Future<TextDatasetBuilder.Output> textsFuture =
          textThread.submit(
              () ->
                  new TextDatasetBuilder(options.rawRoot(), mapping, splitter, report, overlays)
                      .build());
      domains =
          new DomainDatasetBuilder(options.rawRoot(), mapping, splitter, report, overlays).build();
      pages = new PagesBuilder(options.rawRoot(), mapping, splitter, report).build();
      texts = textsFuture.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("build interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      textThread.shutdownNow();
    }

    List<String> violations =
        report.budgetViolations(options.maxInvalidFraction(), options.maxFileErrors());
    Files.createDirectories(options.outRoot());
    if (!violations.isEmpty()) {
      Path failed = options.outRoot().resolve("failed-" + BUILD_REPORT);
      ObjectNode failedReport = buildReport(report, domains, texts, violations);
      failedReport.set("timings", timings(start, loadAtStart));
      JsonlGzWriter.writeJson(failed, failedReport);
      return new Result(null, null, violations, seconds(start));
    }

    Path tmp = options.outRoot().resolve(".build-tmp");
    deleteGenerated(tmp);
    Files.createDirectories(tmp);
    Map<String, long[]> rows = new TreeMap<>();
    try (Progress progress = Progress.start("writing outputs", 4)) {
      rows.put(
          DatasetVersion.DOMAINS,
          new long[] {write(tmp.resolve(DatasetVersion.DOMAINS), domains.domains())});
      progress.advance(1);
      rows.put(
          DatasetVersion.BACKGROUND,
          new long[] {write(tmp.resolve(DatasetVersion.BACKGROUND), domains.background())});
      progress.advance(1);
      rows.put(
          DatasetVersion.TEXTS,
          new long[] {write(tmp.resolve(DatasetVersion.TEXTS), texts.texts())});
      progress.advance(1);
      rows.put(DatasetVersion.PAGES, new long[] {write(tmp.resolve(DatasetVersion.PAGES), pages)});
      progress.advance(1);
    }
    Map<String, String> sha = new TreeMap<>();
    for (String name : OUTPUT_FILES) {
      sha.put(name, Sha256.ofFile(tmp.resolve(name)));
    }
    String versionId = versionId(sha, mapping, options.seed());
    Path versionDir = options.outRoot().resolve(versionId);
    deleteGenerated(versionDir);
    Files.createDirectories(versionDir);
    for (String name : OUTPUT_FILES) {
      Files.move(tmp.resolve(name), versionDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(tmp);

    ObjectNode manifest = manifest(versionId, sha, rows, mapping, overlays, domains, texts);
    JsonlGzWriter.writeJson(versionDir.resolve(DatasetVersion.MANIFEST), manifest);
    JsonlGzWriter.writeJson(
        versionDir.resolve(BUILD_REPORT), buildReport(report, domains, texts, violations));
    // The card's statistics read the files back; the recorded wall time includes that step.
    DataCard.write(versionDir, mapping, log);
    JsonlGzWriter.writeJson(versionDir.resolve(BUILD_TIMINGS), timings(start, loadAtStart));
    if (options.updateCurrent()) {
      Files.writeString(
          options.outRoot().resolve("CURRENT"), versionId + "\n", StandardCharsets.UTF_8);
    }
    return new Result(versionDir, versionId, List.of(), seconds(start));
  }

  /**
   * "ds-" + the first 12 hex digits of SHA-256 over the sorted "name\tsha256" lines of the outputs,
   * the mapping version and hash, and the split seed.
   */
  public static String versionId(Map<String, String> outputSha, LabelMapping mapping, String seed) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(outputSha)
        .forEach((name, hash) -> sb.append(name).append('\t').append(hash).append('\n'));
    sb.append("mapping\t")
        .append(mapping.version())
        .append('\t')
        .append(mapping.sha256())
        .append('\n');
    sb.append("seed\t").append(seed).append('\n');
    return "ds-" + Sha256.of(sb.toString()).substring(0, 12);
  }

  private ObjectNode manifest(
      String versionId,
      Map<String, String> sha,
      Map<String, long[]> rows,
      LabelMapping mapping,
      Overlays overlays,
      DomainDatasetBuilder.Output domains,
      TextDatasetBuilder.Output texts)
      throws IOException {
    ObjectNode m = JsonlGzWriter.mapper().createObjectNode();
    m.put("version", versionId);
    m.put("schema", "sieve-dataset/1");
    m.put("taxonomy_version", Taxonomy.VERSION);
    m.put("mapping_version", mapping.version());
    m.put("mapping_sha256", mapping.sha256());
    ObjectNode split = m.putObject("split");
    split.put("seed", options.seed());
    split.put("rule", Splitter.RULE);
    split.put(
        "domains_key", "registered_domain (eTLD+1 incl. private suffixes, core UrlNormalizer)");
    split.put(
        "texts_key",
        "group: C-SSRS user; Curlie registered domain; the source's unit where it has one (MedQuAD "
            + "document, OpenStax module, OneStopEnglish article at all levels, recipe, Shakespeare play and act, Stormfront "
            + "post); otherwise 'text:' + SHA-256 of the near-duplicate key");
    ArrayNode files = m.putArray("files");
    for (String name : OUTPUT_FILES) {
      ObjectNode f = files.addObject();
      f.put("name", name);
      f.put("sha256", sha.get(name));
      f.put("rows", rows.get(name)[0]);
      f.put("bytes", Files.size(options.outRoot().resolve(versionId).resolve(name)));
    }
    ObjectNode counts = m.putObject("counts");
    counts.put("domains", domains.domains().size());
    counts.put(
        "domains_labelled", domains.domains().stream().filter(d -> !d.labels().isEmpty()).count());
    counts.put("background", domains.background().size());
    counts.put("texts", texts.texts().size());
    counts.put("texts_labelled", texts.texts().stream().filter(t -> !t.labels().isEmpty()).count());
    ObjectNode ov = m.putObject("overlays");
    overlays.files().forEach(ov::put);
    ObjectNode annotation = m.putObject("annotation");
    overlays
        .annotation()
        .forEach(
            (name, a) -> {
              ObjectNode o = annotation.putObject(name);
              o.put("items", a.items);
              o.put("labels", a.labels);
              o.put("corrections", a.corrections);
              o.put("new_texts", a.newTexts);
              o.put("url_records", a.urlRecords);
              o.put(
                  "annotators_mean", a.items == 0 ? 0 : round3((double) a.annotatorsSum / a.items));
              o.put("agreement_mean", a.items == 0 ? 0 : round3(a.agreementSum / a.items));
              o.put("agreement_min", a.items == 0 ? 0 : round3(a.agreementMin));
              o.put("low_agreement_items", a.lowAgreement);
            });
    ArrayNode inputs = m.putArray("inputs");
    for (Path p : rawFiles()) {
      ObjectNode in = inputs.addObject();
      in.put("path", "data/raw/" + options.rawRoot().relativize(p).toString().replace('\\', '/'));
      in.put("sha256", Sha256.ofFile(p));
    }
    m.put(
        "version_id_rule",
        "ds- + first 12 hex of SHA-256 over sorted 'file<TAB>sha256' lines of the outputs, 'mapping<TAB>version<TAB>sha256' and 'seed<TAB>seed'");
    return m;
  }

  private List<Path> rawFiles() throws IOException {
    if (!Files.isDirectory(options.rawRoot())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(options.rawRoot())) {
      return s.filter(Files::isRegularFile)
          .sorted(Comparator.comparing(p -> options.rawRoot().relativize(p).toString()))
          .toList();
    }
  }

  /** CPU seconds this JVM has used (all threads), or -1 where the platform does not say. */
  static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return -1;
  }

  /**
   * What this machine measured while building: not a property of the dataset, so never committed.
   */
  private static ObjectNode timings(long start, double loadAtStart) {
    ObjectNode t = JsonlGzWriter.mapper().createObjectNode();
    t.put("build_seconds", round(seconds(start)));
    t.put("cpu_seconds", round(processCpuSeconds()));
    t.put("load_average_at_start", round(loadAtStart));
    t.put("cpus", Runtime.getRuntime().availableProcessors());
    t.put("java", System.getProperty("java.version"));
    t.put("scope", "all sources, data card included");
    return t;
  }

  /** The build's findings: a function of the inputs and the options only (committed). */
  private ObjectNode buildReport(
      BuildReport report,
      DomainDatasetBuilder.Output domains,
      TextDatasetBuilder.Output texts,
      List<String> violations) {
    ObjectNode r = JsonlGzWriter.mapper().createObjectNode();
    ObjectNode budget = r.putObject("error_budget");
    budget.put("max_invalid_fraction_per_file", options.maxInvalidFraction());
    budget.put("max_file_errors", options.maxFileErrors());
    r.set("budget_violations", JsonlGzWriter.mapper().valueToTree(violations));
    r.set("files", JsonlGzWriter.mapper().valueToTree(report.files()));
    r.set("file_errors", JsonlGzWriter.mapper().valueToTree(report.fileErrors()));
    r.set("invalid_examples", JsonlGzWriter.mapper().valueToTree(report.examples()));
    r.set("domain_stats", JsonlGzWriter.mapper().valueToTree(domains.stats()));
    r.set("text_stats", JsonlGzWriter.mapper().valueToTree(texts.stats()));
    return r;
  }

  private static long write(Path file, List<?> records) throws IOException {
    try (JsonlGzWriter w = new JsonlGzWriter(file)) {
      for (Object r : records) {
        w.write(r);
      }
      return w.rows();
    }
  }

  /** Removes the generated files of a version directory (never anything else). */
  private static void deleteGenerated(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (String name :
        List.of(
            DatasetVersion.DOMAINS,
            DatasetVersion.BACKGROUND,
            DatasetVersion.TEXTS,
            DatasetVersion.PAGES,
            DatasetVersion.MANIFEST,
            BUILD_REPORT,
            BUILD_TIMINGS,
            DataCard.MARKDOWN,
            DataCard.JSON)) {
      Files.deleteIfExists(dir.resolve(name));
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.1f", v));
  }
}
