package dev.sieve.content.bench;

import com.google.protobuf.ByteString;
import dev.sieve.content.ContentTier;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.serve.BatcherConfig;
import dev.sieve.content.serve.ContentTierScorer;
import dev.sieve.content.serve.DynamicBatcher;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.text.MarkdownTable;
import dev.sieve.core.util.Settings;
import dev.sieve.proto.v1.ScoreRequest;
import io.grpc.Context;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Goodput of the content tier under overload (issue #12 item 3): how many requests per second are
 * answered OK within their deadline when offered 1x..8x the tier's capacity, with deadline
 * admission off (queue-length admission only, the behaviour before #12) and on.
 *
 * <p>First the capacity is measured (closed loop, a few client threads, no deadline: pages/s).
 * Then, per mode and load multiple, an open loop offers {@code multiple × capacity} requests/s for
 * {@code --seconds}, each with the router's content-tier deadline ({@code --deadline-ms}, 500 by
 * default), through the scorer in-process (the code the gRPC service runs, minus the transport).
 * Goodput = OK responses within the deadline per second. Not part of the test suite; run as
 *
 * <pre>
 * java -cp "cli/target/lib/*" dev.sieve.content.bench.OverloadBench
 * </pre>
 */
@Command(
    name = "content-overload-bench",
    mixinStandardHelpOptions = true,
    description =
        "Goodput of the content tier at 1x..8x its capacity, deadline admission off vs on.")
public final class OverloadBench implements Callable<Integer> {

  @Option(
      names = "--model",
      description =
          "Model version directory (default: $SIEVE_HOME/models/content-minilm-mlp/RELEASED).")
  Path model;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Seconds per load level (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--deadline-ms",
      defaultValue = "500",
      description =
          "Deadline per request (default: ${DEFAULT-VALUE}, the router's content timeout).")
  int deadlineMs;

  @Option(
      names = "--multiples",
      defaultValue = "1,2,4,8",
      split = ",",
      description = "Load as multiples of the measured capacity.")
  List<Double> multiples;

  @Option(
      names = "--modes",
      defaultValue = "off,deadline",
      split = ",",
      description = "Admission modes to compare: off, deadline.")
  List<String> modes;

  @Option(
      names = "--page-words",
      defaultValue = "300",
      description = "Words per synthetic page (default: ${DEFAULT-VALUE}).")
  int pageWords;

  @Option(
      names = "--capacity",
      defaultValue = "0",
      description = "Pages/s to take as 1x (0 = measure it first).")
  double capacity;

  @Option(
      names = "--repeats",
      defaultValue = "1",
      description =
          "Rounds over all levels; the modes of one level run back to back "
              + "so they see the same machine load (default: ${DEFAULT-VALUE}).")
  int repeats;

  /** One load level's outcome. */
  record Level(
      String mode,
      double multiple,
      double offeredPerSecond,
      long offered,
      long goodput,
      long lateOk,
      Map<Status.Code, Long> errors,
      long shed,
      long expired,
      long unfinishable,
      long late,
      double seconds) {

    double goodputPerSecond() {
      return goodput / seconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
    Path modelDir =
        model != null
            ? model
            : ContentModel.releasedVersion(home.resolve("models").resolve(ContentTier.MODEL_NAME));
    List<ScoreRequest> pages =
        ContentBench.buildPages(ContentBench.synthetic(), pageWords).stream()
            .map(p -> ScoreRequest.newBuilder().setHtml(ByteString.copyFromUtf8(p)).build())
            .toList();
    BatcherConfig base = BatcherConfig.fromSettings();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (ContentTier tier =
        ContentTier.open(
            new ContentTier.Options(
                modelDir,
                false,
                0,
                base,
                ExtractionLimits.fromSettings(ExtractionLimits.DEFAULT_WORDS_PER_CHUNK)))) {
      tier.warmUp();
      System.out.println("machine: " + ContentBench.machine());
      System.out.printf(
          Locale.ROOT,
          "batcher: max batch %d, max delay %d ms, queue %d, workers %d; encoder sessions %d%n",
          base.maxBatchSize(),
          base.maxQueueDelay().toMillis(),
          base.queueCapacity(),
          base.workers(),
          tier.encoder().options().sessions());
      double peak = capacity > 0 ? capacity : measureCapacity(tier, base, pages);
      System.out.printf(
          Locale.ROOT,
          "capacity (closed loop, 4 threads, no deadline): %.2f pages/s of ~%d words%n",
          peak,
          pageWords);
      // Rows are printed as each level finishes (a run takes minutes), in the table's layout.
      MarkdownTable table =
          MarkdownTable.compact(
              "admission",
              "load",
              "offered/s",
              "goodput/s",
              "OK late",
              "RESOURCE_EXHAUSTED",
              "DEADLINE_EXCEEDED",
              "shed",
              "expired in queue",
              "dropped at batch",
              "encoded after deadline");
      System.out.print(table.headerLines());
      Map<String, double[]> goodputSums = new LinkedHashMap<>();
      for (int round = 0; round < repeats; round++) {
        for (double multiple : multiples) {
          for (String mode : modes) {
            BatcherConfig config = base.withDeadlineAdmission(mode.equals("deadline"));
            try (ContentTierScorer scorer =
                new ContentTierScorer(tier.model(), tier.scorer().extractor(), config)) {
              scorer.score(pages.get(0)); // first batch: the estimator learns the cost of a chunk
              Level level = runLevel(scorer, mode, multiple, multiple * peak, pages, timer);
              goodputSums
                      .computeIfAbsent(mode, m -> new double[multiples.size()])[
                      multiples.indexOf(multiple)] +=
                  level.goodputPerSecond() / repeats;
              System.out.print(
                  table.rowLine(
                      level.mode(),
                      String.format(Locale.ROOT, "%.0fx", level.multiple()),
                      String.format(Locale.ROOT, "%.1f", level.offeredPerSecond()),
                      String.format(Locale.ROOT, "%.2f", level.goodputPerSecond()),
                      level.lateOk(),
                      level.errors().getOrDefault(Status.Code.RESOURCE_EXHAUSTED, 0L),
                      level.errors().getOrDefault(Status.Code.DEADLINE_EXCEEDED, 0L),
                      level.shed(),
                      level.expired(),
                      level.unfinishable(),
                      level.late()));
            }
          }
        }
      }
      System.out.println();
      System.out.println(
          "mean goodput/s over " + repeats + " round(s), and as a share of the mode's best level:");
      goodputSums.forEach(
          (mode, sums) -> {
            double best = Arrays.stream(sums).max().orElse(0);
            StringBuilder line = new StringBuilder("  " + mode + ":");
            for (int i = 0; i < sums.length; i++) {
              line.append(
                  String.format(
                      Locale.ROOT,
                      "  %.0fx %.2f (%.0f%%)",
                      multiples.get(i),
                      sums[i],
                      best == 0 ? 0 : 100 * sums[i] / best));
            }
            System.out.println(line);
          });
      System.out.println("run at " + Instant.now());
    } finally {
      timer.shutdownNow();
    }
    return 0;
  }

  private double measureCapacity(ContentTier tier, BatcherConfig base, List<ScoreRequest> pages)
      throws Exception {
    try (ContentTierScorer scorer =
        new ContentTierScorer(tier.model(), tier.scorer().extractor(), base)) {
      ExecutorService clients = Executors.newFixedThreadPool(4);
      AtomicLong next = new AtomicLong();
      LongAdder done = new LongAdder();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Future<?>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < 4; t++) {
        futures.add(
            clients.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    scorer.score(pages.get((int) (next.getAndIncrement() % pages.size())));
                    done.increment();
                  }
                  return null;
                }));
      }
      for (var f : futures) {
        f.get();
      }
      clients.shutdown();
      return done.sum() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private Level runLevel(
      ContentTierScorer scorer,
      String mode,
      double multiple,
      double rate,
      List<ScoreRequest> pages,
      ScheduledExecutorService timer)
      throws InterruptedException {
    DynamicBatcher.Stats stats = scorer.batcher().stats();
    long shed0 = stats.shed();
    long expired0 = stats.expired();
    long unfinishable0 = stats.unfinishable();
    long late0 = stats.late();
    LongAdder good = new LongAdder();
    LongAdder lateOk = new LongAdder();
    Map<Status.Code, LongAdder> errors = new EnumMap<>(Status.Code.class);
    for (Status.Code code : Status.Code.values()) {
      errors.put(code, new LongAdder());
    }
    long intervalNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long offered = 0;
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long due = start; due < end; due += intervalNanos) {
        long sleep = due - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
        ScoreRequest request = pages.get((int) (offered++ % pages.size()));
        callers.submit(
            () -> {
              long sent = System.nanoTime();
              Context.CancellableContext call =
                  Context.current().withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS, timer);
              try {
                call.call(() -> scorer.score(request));
                if (System.nanoTime() - sent <= TimeUnit.MILLISECONDS.toNanos(deadlineMs)) {
                  good.increment();
                } else {
                  lateOk.increment();
                }
              } catch (ScoringException e) {
                errors.get(e.code()).increment();
              } catch (Exception e) {
                errors.get(Status.Code.UNKNOWN).increment();
              } finally {
                call.cancel(null);
              }
            });
      }
    } // waits for every call (each ends by its deadline)
    double elapsed = seconds;
    Map<Status.Code, Long> errorCounts = new EnumMap<>(Status.Code.class);
    errors.forEach(
        (code, count) -> {
          if (count.sum() > 0) {
            errorCounts.put(code, count.sum());
          }
        });
    return new Level(
        mode,
        multiple,
        rate,
        offered,
        good.sum(),
        lateOk.sum(),
        errorCounts,
        stats.shed() - shed0,
        stats.expired() - expired0,
        stats.unfinishable() - unfinishable0,
        stats.late() - late0,
        elapsed);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new OverloadBench()).execute(args));
  }
}
