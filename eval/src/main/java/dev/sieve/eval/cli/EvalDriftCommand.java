package dev.sieve.eval.cli;

import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.metrics.Drift;
import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.scoring.PredictionsFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sieve eval drift <model-dir> --scores live.jsonl.gz}: per-category PSI and
 * Jensen-Shannon divergence between the card's test-split score distribution and live scores.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {"Score-distribution drift per category (PSI, Jensen-Shannon) between the card's",
        "evaluation distribution and live scores (JSONL {\"id\",\"scores\"}, e.g. sampled verdict logs).",
        "PSI < 0.1 stable, 0.1-0.25 watch, > 0.25 act."})
public final class EvalDriftCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Model directory (or model-card.json).")
  Path card;

  @Option(names = "--scores", required = true, description = "Live scores, JSONL (.gz ok).")
  Path scores;

  @Option(names = "--fail-psi", description = "Exit 1 when any category's PSI exceeds this.")
  Double failPsi;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("eval drift", this::run);
  }

  private Integer run() {
    Path file = Files.isDirectory(card) ? card.resolve(ModelCard.JSON) : card;
    ModelCard c = ModelCardGenerator.read(file);
    List<Example> ids = readIds(scores);
    List<String> categories = c.quantitativeAnalyses().categories().stream().map(CategoryResult::category).toList();
    Scores live = new PredictionsFile(scores).score(ids, categories).scores();
    boolean failed = false;
    System.out.printf(Locale.ROOT, "%-20s %8s %8s %8s  %s%n", "category", "live n", "PSI", "JS", "verdict");
    for (CategoryResult r : c.quantitativeAnalyses().categories()) {
      long[] ref = r.scoreHistogram();
      if (ref == null || ref.length == 0 || java.util.Arrays.stream(ref).sum() == 0) {
        continue;
      }
      long[] now = Drift.histogram(live.get(r.category()), ref.length);
      long n = java.util.Arrays.stream(now).sum();
      if (n == 0) {
        System.out.printf(Locale.ROOT, "%-20s %8d %8s %8s  %s%n", r.category(), 0, "n/a", "n/a", "no live scores");
        continue;
      }
      double psi = Drift.psi(ref, now);
      double js = Drift.jensenShannon(ref, now);
      String verdict = psi > 0.25 ? "ACT (recalibrate / re-evaluate)" : psi > 0.1 ? "watch" : "stable";
      System.out.printf(Locale.ROOT, "%-20s %8d %8.4f %8.4f  %s%n", r.category(), n, psi, js, verdict);
      if (failPsi != null && psi > failPsi) {
        failed = true;
      }
    }
    return failed ? 1 : 0;
  }

  private static List<Example> readIds(Path file) {
    List<Example> out = new ArrayList<>();
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(Example.of(m.readTree(line).path("id").asText(), "live", List.of(), List.of()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }
}
