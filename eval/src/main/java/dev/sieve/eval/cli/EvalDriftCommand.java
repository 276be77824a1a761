package dev.sieve.eval.cli;

import dev.sieve.eval.card.DriftDocument;
import dev.sieve.eval.card.ModelCard;
import dev.sieve.eval.card.ModelCardGenerator;
import dev.sieve.eval.drift.DriftAnalysis;
import dev.sieve.eval.drift.LiveScores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./sieve eval drift <model-dir>... (--batch FILE | --metrics URL|FILE | --scores FILE)}:
 * live traffic against model cards (PSI, Jensen-Shannon distance, decision rate, input profile),
 * printed as a table and, with {@code --out}, written as a Markdown + HTML report like the cards.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Drift of live traffic against model cards: per category PSI and Jensen-Shannon distance of the",
      "live score distribution against the card's test split, the live decision rate against the card's",
      "(95%% Wilson intervals), and the input profile (URL-only vs page requests, tier states, failed items).",
      "Live data: classify-batch output (--batch; served scores, compared with the fleet card), a router's",
      "/metrics (--metrics URL or saved file; every tier's scores, each compared with its own card; --since",
      "an earlier scrape for a time window), or JSONL {\"id\",\"scores\"} (--scores, the card's own tier).",
      "PSI < 0.1 stable, 0.1-0.25 watch, > 0.25 act (docs/operations.md, \"Drift\")."
    })
public final class EvalDriftCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      description =
          "Model directories (or model-card.json): the fleet card (models/sieve-fleet/<v>)"
              + " for served scores, a tier's card (url-lexical, content-minilm-mlp, llm-zero-shot) for that tier's scores.")
  List<Path> cards;

  static final class Source {
    @Option(names = "--batch", description = "./sieve classify-batch output (JSONL, .gz ok).")
    Path batch;

    @Option(
        names = "--metrics",
        description = "A router's metrics: http(s) URL of /metrics, or a saved scrape.")
    String metrics;

    @Option(
        names = "--scores",
        description =
            "JSONL {\"id\",\"scores\":{category:score}} (.gz ok), scores of the card's tier.")
    Path scores;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--since",
      description =
          "With --metrics: an earlier scrape (URL or file) of the same router; drift of the traffic in between.")
  String since;

  @Option(names = "--out", description = "Directory for drift-report.md and drift-report.html.")
  Path out;

  @Option(
      names = "--fail-psi",
      description = "Exit 1 when a category with enough live scores has a PSI above this.")
  Double failPsi;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("eval drift", this::run);
  }

  private Integer run() throws IOException {
    List<DriftAnalysis.CardRef> refs = new ArrayList<>();
    for (Path c : cards) {
      ModelCard card =
          ModelCardGenerator.read(Files.isDirectory(c) ? c.resolve(ModelCard.JSON) : c);
      refs.add(new DriftAnalysis.CardRef(tierOf(card), card));
    }
    if (since != null && source.metrics == null) {
      throw new IllegalArgumentException(
          "--since is an earlier scrape of the router: it goes with --metrics");
    }
    LiveScores live;
    if (source.batch != null) {
      if (refs.stream().anyMatch(r -> !r.tier().equals(LiveScores.MERGED))) {
        throw new IllegalArgumentException(
            "classify-batch output has the served (merged) scores only: compare it with"
                + " the fleet card (models/sieve-fleet/<version>), not a tier's card");
      }
      live = LiveScores.fromBatch(source.batch);
    } else if (source.metrics != null) {
      live =
          LiveScores.fromPrometheus(
              fetch(source.metrics),
              since == null ? null : fetch(since),
              "router metrics " + source.metrics);
    } else {
      if (refs.size() != 1) {
        throw new IllegalArgumentException(
            "--scores compares one card's tier: name exactly one model directory");
      }
      live = LiveScores.fromScores(source.scores, refs.get(0).tier());
    }
    DriftAnalysis analysis = DriftAnalysis.of(refs, live);
    print(analysis);
    if (out != null) {
      Files.createDirectories(out);
      Files.writeString(
          out.resolve(DriftDocument.MARKDOWN),
          DriftDocument.markdown(analysis),
          StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve(DriftDocument.HTML), DriftDocument.html(analysis), StandardCharsets.UTF_8);
      System.out.println(
          "wrote " + out.resolve(DriftDocument.MARKDOWN) + " and " + DriftDocument.HTML);
    }
    double worst = analysis.worstPsi();
    return failPsi != null && !Double.isNaN(worst) && worst > failPsi ? 1 : 0;
  }

  /**
   * The tier label the card's scores carry in the router's metrics: url, content, llm, or merged
   * (the fleet card).
   */
  static String tierOf(ModelCard card) {
    String tier = card.modelDetails().tier();
    return tier != null && List.of("url", "content", "llm").contains(tier)
        ? tier
        : LiveScores.MERGED;
  }

  private static void print(DriftAnalysis a) {
    System.out.printf(
        Locale.ROOT,
        "%-8s %-20s %8s %8s %8s  %-26s %s%n",
        "tier",
        "category",
        "live n",
        "PSI",
        "JS dist",
        "decision rate live / card",
        "verdict");
    for (DriftAnalysis.Row r : a.rows()) {
      String rates =
          r.cardRate() == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "%.4f / %.4f%s",
                  r.liveRate() == null ? Double.NaN : r.liveRate().value(),
                  r.cardRate().value(),
                  r.rateShifted() ? " *" : "");
      System.out.printf(
          Locale.ROOT,
          "%-8s %-20s %8d %8.4f %8.4f  %-26s %s%n",
          r.tier(),
          r.category(),
          r.liveN(),
          r.psi(),
          r.jsDistance(),
          rates,
          r.verdict());
    }
    System.out.println(
        "inputs: "
            + a.live().inputs()
            + "; items without a verdict: "
            + a.live().errors()
            + "  (* decision-rate intervals disjoint)");
  }

  private static String fetch(String where) throws IOException {
    if (where.startsWith("http://") || where.startsWith("https://")) {
      try (HttpClient client =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create(where))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
          throw new IllegalArgumentException(where + " answered HTTP " + response.statusCode());
        }
        return response.body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + where, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + where, e);
      }
    }
    return Files.readString(Path.of(where), StandardCharsets.UTF_8);
  }
}
