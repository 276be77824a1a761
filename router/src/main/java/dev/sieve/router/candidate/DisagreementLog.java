package dev.sieve.router.candidate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampled disagreement file: one JSON line per logged comparison, appended by one background
 * thread behind a bounded queue (full: the line is dropped and counted), so that file I/O never
 * runs on a tier channel's event loop and a slow disk never holds requests.
 *
 * <p>No student identity: a line holds the URL's host only (never its path or query, which can name
 * a student), the two versions' model ids, scores and decisions, and the tenant's thresholds; no
 * tenant id, request id or body. Fields (the format {@code ./sieve eval shadow} and the annotation
 * app read, docs/operations.md "Shadow and canary"):
 *
 * <pre>
 * {"ts": "...", "tier": "content", "mode": "shadow", "served_by": "serving", "host": "example.com",
 *  "serving_model": "name@version", "candidate_model": "name@version",
 *  "serving": {"adult": 0.91, ...}, "candidate": {"adult": 0.42, ...}, "thresholds": {"adult": 0.5, ...},
 *  "flips": ["adult"], "opinion_only": [], "max_abs_delta": 0.49, "log_p": 1.0}</pre>
 *
 * {@code log_p} is the probability the comparison had of being written (1 for a disagreement,
 * SIEVE_CANDIDATE_LOG_AGREEMENTS for an agreement): weighting each line by 1/log_p estimates rates
 * over all comparisons.
 */
public final class DisagreementLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DisagreementLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final ThreadPoolExecutor writer;
  private final Consumer<String> outcome;
  private BufferedWriter out;

  /**
   * @param outcome receives "written", "dropped" or "failed" per line (the metrics)
   */
  public DisagreementLog(Path file, int queueCapacity, Consumer<String> outcome) {
    this.file = file;
    this.outcome = outcome;
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            runnable -> {
              Thread thread = new Thread(runnable, "candidate-disagreement-log");
              thread.setDaemon(true);
              return thread;
            },
            (runnable, executor) -> outcome.accept("dropped"));
  }

  /** Queues one line; never blocks. */
  public void append(
      String tier,
      String mode,
      boolean servedByCandidate,
      String host,
      String servingModel,
      String candidateModel,
      VersionComparison comparison,
      double logP) {
    writer.execute(
        () ->
            write(
                tier,
                mode,
                servedByCandidate,
                host,
                servingModel,
                candidateModel,
                comparison,
                logP));
  }

  private void write(
      String tier,
      String mode,
      boolean servedByCandidate,
      String host,
      String servingModel,
      String candidateModel,
      VersionComparison comparison,
      double logP) {
    try {
      ObjectNode line = JSON.createObjectNode();
      line.put("ts", Instant.now().toString());
      line.put("tier", tier);
      line.put("mode", mode);
      line.put("served_by", servedByCandidate ? "candidate" : "serving");
      line.put("host", host);
      line.put("serving_model", servingModel);
      line.put("candidate_model", candidateModel);
      put(line.putObject("serving"), comparison.serving());
      put(line.putObject("candidate"), comparison.candidate());
      put(line.putObject("thresholds"), comparison.thresholds());
      comparison.flips().forEach(line.putArray("flips")::add);
      comparison.opinionOnly().forEach(line.putArray("opinion_only")::add);
      line.put("max_abs_delta", round(comparison.maxAbsDelta()));
      line.put("log_p", logP);
      if (out == null) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        out =
            Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
      }
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
      if (writer.getQueue().isEmpty()) {
        out.flush();
      }
      outcome.accept("written");
    } catch (IOException | RuntimeException e) {
      outcome.accept("failed");
      log.warn("disagreement log {}: {}", file, e.toString());
    }
  }

  private static void put(ObjectNode node, Map<String, Double> values) {
    values.forEach((id, value) -> node.put(id, round(value)));
  }

  private static double round(double value) {
    return Math.round(value * 10000.0) / 10000.0;
  }

  /** Writes what is queued (up to 5 s) and closes the file. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      log.warn("disagreement log {}: {}", file, e.toString());
    }
  }
}
