package dev.sieve.eval.cli;

import dev.sieve.core.cli.FleetTargets;
import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.eval.explain.ActionRules;
import dev.sieve.eval.explain.Explainer;
import dev.sieve.eval.explain.Explanation;
import dev.sieve.eval.explain.NeighbourIndex;
import dev.sieve.eval.explain.RcaMarkdown;
import dev.sieve.eval.policy.EvaluationPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve explain <url | --text ...>}: root-cause analysis of one verdict, written as an RCA
 * template that ends in a proposed action.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the router (all tiers, cache bypassed) why it decided what it decided, find",
      "the nearest training examples with their label sources, and write an RCA template ending",
      "in a proposed action (relabel, add data, change threshold, add a rule)."
    })
public final class ExplainCommand implements SieveCommand {

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", description = "URL to explain.")
  String url;

  @Option(names = "--text", description = "Text to explain (instead of or with a URL).")
  String text;

  @Option(names = "--text-file", description = "File whose content is the text to explain.")
  Path textFile;

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description =
          "Router address (default: the port in .sieve/run/router.port, else 127.0.0.1:50051).")
  String target;

  @Option(
      names = "--tiers",
      split = ",",
      description =
          "Tiers to consult (default: every tier that can read the input: url with a URL, content with text, llm).")
  List<String> tiers;

  @Option(
      names = "--expected",
      description = "What the verdict should be: comma-separated categories, or 'none'.")
  String expected;

  @Option(names = "--tenant", defaultValue = "", description = "Tenant whose policy applies.")
  String tenant;

  @Option(names = "--out", description = "RCA file (default: rca-<UTC timestamp>.md).")
  Path out;

  @Option(names = "--home", description = "Repository root (default: SIEVE_HOME or .).")
  Path home;

  @Option(
      names = "--dataset",
      description = "Dataset version for neighbours (default: data/datasets/CURRENT).")
  Path dataset;

  @Option(
      names = "--neighbours",
      defaultValue = "5",
      description = "Nearest training examples to list.")
  int neighbours;

  @Option(
      names = "--deadline",
      defaultValue = "5s",
      converter = DeadlineConverter.class,
      description = "Router call deadline (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Override
  public Integer call() throws Exception {
    return Errors.guard("explain", this::run);
  }

  private Integer run() throws IOException {
    String body = text;
    if (textFile != null) {
      body = Files.readString(textFile, StandardCharsets.UTF_8);
    }
    if ((url == null || url.isBlank()) && (body == null || body.isBlank())) {
      throw new ParameterException(spec.commandLine(), "give a URL, --text or --text-file");
    }
    Set<String> exp = null;
    if (expected != null) {
      exp = new TreeSet<>();
      for (String s : expected.split(",")) {
        if (!s.isBlank() && !s.strip().equalsIgnoreCase("none")) {
          exp.add(s.strip());
        }
      }
    }
    Path root = home != null ? home.toAbsolutePath().normalize() : EvaluationPolicy.home();
    NeighbourIndex index = null;
    String dsId = "";
    try {
      DatasetVersion ds =
          dataset != null
              ? DatasetVersion.open(dataset)
              : DatasetVersion.current(root.resolve("data/datasets"));
      index =
          NeighbourIndex.load(ds, url != null && !url.isBlank(), body != null && !body.isBlank());
      dsId = ds.id();
    } catch (RuntimeException e) {
      System.err.println("explain: no dataset for neighbours (" + e.getMessage() + ")");
    }
    Explainer.RouterAnswer answer =
        Explainer.classify(
            FleetTargets.router(target), url, body, tiersFor(url, body), tenant, deadline);
    if (answer.response().isEmpty()) {
      System.err.println("explain: " + answer.error());
    }
    Explanation x =
        Explainer.explain(url, body, exp, answer, index, dsId, ActionRules.defaults(), neighbours);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    Path file =
        out != null
            ? out
            : Path.of("rca-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
    try {
      Files.writeString(
          file,
          RcaMarkdown.render(x, now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    System.out.println(
        "verdict: "
            + x.response()
                .map(
                    r ->
                        r.getAction()
                            + " (primary: "
                            + (r.getPrimaryCategory().isEmpty() ? "none" : r.getPrimaryCategory())
                            + ")")
                .orElse("none: " + answer.error()));
    System.out.println("proposed action: " + x.action().action() + " — " + x.action().rationale());
    System.out.println("wrote " + file);
    return 0;
  }

  /**
   * The tiers named, or each tier that can read this input: a tier named in the filter is always
   * consulted, and the url tier refuses a request without a URL (the router then rejects it all).
   */
  public List<String> tiersFor(String url, String body) {
    if (tiers != null && !tiers.isEmpty()) {
      return tiers;
    }
    List<String> out = new ArrayList<>();
    if (url != null && !url.isBlank()) {
      out.add("url");
    }
    if (body != null && !body.isBlank()) {
      out.add("content");
    }
    out.add("llm");
    return out;
  }
}
