package dev.sieve.llm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.sieve.core.cli.FleetTargets;
import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.Split;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Settings;
import dev.sieve.eval.cli.DeadlineConverter;
import dev.sieve.proto.v1.ClassifierGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve fleet-vs-tiers}: the "fleet is at least as good as its best tier" check against a
 * running router (see {@link FleetComparison}). Inputs come from the dev (tuning) or test
 * (reporting) split of the current dataset: hosts as URL-only requests and texts as text-only
 * requests, labelled for the categories in their label scope (emerging source labels included:
 * ai_chatbots, cheating).
 */
@Command(
    name = "fleet-vs-tiers",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the router's merged verdicts with each tier alone (tiers filter) on dev or test;",
      "needs a running fleet (./sieve up). Prints a markdown table of per-category average precision",
      "with a paired-bootstrap check per core category; exits 1 when merging is significantly worse."
    })
public final class FleetComparisonCommand implements SieveCommand {

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      description =
          "Router address (default: the port in .sieve/run/router.port, else 127.0.0.1:50051).")
  String router;

  @Option(
      names = "--deadline",
      defaultValue = "10s",
      converter = DeadlineConverter.class,
      description = "Per-call deadline (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(names = "--home", description = "Repository root (default: SIEVE_HOME or .).")
  Path home;

  @Option(
      names = "--per-category",
      defaultValue = "100",
      description = "Positives sampled per category (default: ${DEFAULT-VALUE}).")
  int perCategory;

  @Option(
      names = "--negatives",
      defaultValue = "500",
      description = "Background hosts and in-scope negative texts (default: ${DEFAULT-VALUE}).")
  int negatives;

  @Option(
      names = "--tiers",
      split = ",",
      description =
          "Tiers to compare alone (default: those that can answer the inputs: content,llm for texts; url,llm for domains; all three for all).")
  List<String> tiers;

  private Split evaluated;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      description = "Calls in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--seed",
      defaultValue = "20251125",
      description = "Sampling and bootstrap seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--split",
      defaultValue = "test",
      description =
          "dev (to tune routing, e.g. uncertainty bands) or test (to report, once) (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--inputs",
      defaultValue = "texts",
      description =
          "Inputs: texts (the check the standard asks for: merged verdict on text), domains or all (default: ${DEFAULT-VALUE}).")
  String inputs;

  @Option(
      names = "--min-positives",
      defaultValue = "30",
      description = "Fewer positives: no conclusion (default: ${DEFAULT-VALUE}).")
  int minPositives;

  @Option(
      names = "--bootstrap",
      defaultValue = "1000",
      description =
          "Paired bootstrap replicates for the 95%% interval (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(
      names = "--max-unanswered",
      defaultValue = "0.01",
      description =
          "Largest share of calls a configuration's tier may leave unanswered (timeouts) before the run is void (default: ${DEFAULT-VALUE}).")
  double maxUnanswered;

  @Option(
      names = "--out",
      description = "Also write fleet-comparison.md and fleet-comparison.json into this directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path root = home != null ? home : Path.of(Settings.get("SIEVE_HOME", "."));
    evaluated = Split.parse(split);
    if (evaluated == Split.TRAIN) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--split must be dev or test, not train");
    }
    if (tiers == null || tiers.isEmpty()) {
      tiers =
          switch (inputs) {
            case "texts" -> List.of("content", "llm");
            case "domains" -> List.of("url", "llm");
            default -> List.of("url", "content", "llm");
          };
    }
    DatasetVersion data = DatasetVersion.current(root.resolve("data/datasets"));
    List<FleetComparison.Item> items = items(data);
    String target = FleetTargets.router(router);
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    FleetComparison.Result result;
    try {
      FleetComparison comparison =
          new FleetComparison(
                  ClassifierGrpc.newBlockingStub(channel), tiers, concurrency, deadline.toMillis())
              .statistics(minPositives, bootstrap, seed);
      System.err.println(
          "fleet-vs-tiers: "
              + items.size()
              + " "
              + inputs
              + " items from "
              + data.id()
              + " against "
              + target);
      result = comparison.run(items);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    String markdown = header(data, target, items.size()) + FleetComparison.markdown(result);
    List<String> problems = problems(result);
    markdown +=
        problems.isEmpty()
            ? "\nVerdict: the merged verdict is not worse than the best single tier for any core category"
                + " with enough positives (paired bootstrap, 95%).\n"
            : "\nVerdict: FAILED\n"
                + problems.stream().map(p -> "- " + p + "\n").collect(Collectors.joining());
    System.out.println(markdown);
    if (out != null) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("fleet-comparison.md"), markdown);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dataset_version", data.id());
      json.put("split", split);
      json.put("inputs", inputs);
      json.put("items", items.size());
      json.put("per_category", perCategory);
      json.put("negatives", negatives);
      json.put("seed", seed);
      json.put("min_positives", minPositives);
      json.put("bootstrap", bootstrap);
      json.put("cells", result.cells());
      json.put("checks", result.checks());
      json.put("failed_calls", result.errors());
      json.put("problems", problems);
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .writerWithDefaultPrettyPrinter()
          .writeValue(out.resolve("fleet-comparison.json").toFile(), json);
      System.err.println(
          "fleet-vs-tiers: wrote " + out.resolve("fleet-comparison.md") + " and .json");
    }
    return problems.isEmpty() ? 0 : 1;
  }

  private String header(DatasetVersion data, String target, int n) {
    return "# Fleet vs single tiers\n\nDataset "
        + data.id()
        + ", "
        + split
        + " split, "
        + inputs
        + " inputs: "
        + n
        + " items (up to "
        + perCategory
        + " positives per category and "
        + negatives
        + " in-scope negatives, seed "
        + seed
        + "), router "
        + target
        + ", concurrency "
        + concurrency
        + ". Average precision per configuration; \"merged\" is normal routing (no tiers filter)."
        + " A configuration's missing verdict scores 0.\n\n";
  }

  /**
   * Core categories where merging is significantly worse, and configurations too often unanswered.
   */
  private List<String> problems(FleetComparison.Result result) {
    List<String> problems = new ArrayList<>();
    for (String core : CORE_HARMFUL) {
      FleetComparison.Check check = result.checks().get(core);
      if (check != null && check.worse()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s: merged AP is %.3f below %s (95%% CI [%+.3f, %+.3f])",
                core,
                -check.delta(),
                check.bestTier(),
                check.lower(),
                check.upper()));
      }
    }
    result
        .cells()
        .forEach(
            (category, byConfig) ->
                byConfig.forEach(
                    (config, cell) -> {
                      int calls = cell.positives() + cell.negatives();
                      if (calls > 0 && cell.unanswered() > maxUnanswered * calls) {
                        problems.add(
                            category
                                + ": "
                                + config
                                + " left "
                                + cell.unanswered()
                                + " of "
                                + calls
                                + " calls unanswered (timeouts?): the comparison is void; lower --concurrency");
                      }
                    }));
    return problems;
  }

  /** The core harmful categories the check is about (the list). */
  static final List<String> CORE_HARMFUL =
      List.of("adult", "violence", "self_harm", "weapons", "drugs", "gambling", "hate");

  private List<FleetComparison.Item> items(DatasetVersion data) {
    boolean domains = inputs.equals("domains") || inputs.equals("all");
    boolean textInputs = inputs.equals("texts") || inputs.equals("all");
    if (!domains && !textInputs) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--inputs must be texts, domains or all");
    }
    List<FleetComparison.Item> items = new ArrayList<>();
    // Each file is read only when its inputs were asked for (the domains file is the large one).
    if (domains) {
      domainItems(data, items);
    }
    if (textInputs) {
      textItems(data, items);
    }
    return items;
  }

  /**
   * Up to --per-category test hosts per label (and emerging source lists) plus background hosts.
   */
  private void domainItems(DatasetVersion data, List<FleetComparison.Item> items) {
    List<String> core = Taxonomy.v1().ids();
    Map<String, Reservoir<DomainRecord>> hostsByCategory = new LinkedHashMap<>();
    Reservoir<DomainRecord> background = new Reservoir<>(negatives, seed);
    data.forEachDomain(
        r -> {
          if (Split.parse(r.split()) != evaluated) {
            return;
          }
          for (String label : r.labels()) {
            hostsByCategory
                .computeIfAbsent(label, k -> new Reservoir<>(perCategory, seed ^ k.hashCode()))
                .offer(r);
          }
          for (String source : r.sources().keySet()) {
            String s = source.toLowerCase(Locale.ROOT);
            if (EvalDataLoader.AI_SOURCES.contains(s)) {
              hostsByCategory
                  .computeIfAbsent("ai_chatbots", k -> new Reservoir<>(perCategory, seed))
                  .offer(r);
            } else if (EvalDataLoader.CHEATING_SOURCES.contains(s)) {
              hostsByCategory
                  .computeIfAbsent("cheating", k -> new Reservoir<>(perCategory, seed))
                  .offer(r);
            }
          }
        });
    data.forEachBackground(
        r -> {
          if (Split.parse(r.split()) == evaluated) {
            background.offer(r);
          }
        });
    List<String> everything = new ArrayList<>(core);
    everything.add("ai_chatbots");
    everything.add("cheating");
    for (DomainRecord r : background.items()) {
      Map<String, Boolean> labels = new LinkedHashMap<>();
      everything.forEach(c -> labels.put(c, false));
      items.add(new FleetComparison.Item(r.host(), "https://" + r.host() + "/", null, labels));
    }
    hostsByCategory.forEach(
        (category, reservoir) -> {
          for (DomainRecord r : reservoir.items()) {
            Map<String, Boolean> labels = new LinkedHashMap<>();
            labels.put(category, true);
            r.labels().forEach(l -> labels.put(l, true));
            items.add(
                new FleetComparison.Item(r.host(), "https://" + r.host() + "/", null, labels));
          }
        });
  }

  /**
   * Up to --per-category positive and --negatives in-scope negative test texts per core category.
   */
  private void textItems(DatasetVersion data, List<FleetComparison.Item> items) {
    List<String> core = Taxonomy.v1().ids();
    Map<String, Reservoir<TextRecord>> texts = new LinkedHashMap<>();
    data.forEachText(
        r -> {
          if (Split.parse(r.split()) != evaluated) {
            return;
          }
          for (String c : core) {
            if (r.inScope(c)) {
              String key = c + (r.labels().contains(c) ? "+" : "-");
              texts
                  .computeIfAbsent(
                      key,
                      k ->
                          new Reservoir<>(
                              key.endsWith("+") ? perCategory : negatives, seed ^ k.hashCode()))
                  .offer(r);
            }
          }
        });
    Map<String, TextRecord> uniqueTexts = new LinkedHashMap<>();
    texts.values().forEach(res -> res.items().forEach(r -> uniqueTexts.putIfAbsent(r.id(), r)));
    for (TextRecord r : uniqueTexts.values()) {
      Map<String, Boolean> labels = new LinkedHashMap<>();
      for (String c : core) {
        if (r.inScope(c)) {
          labels.put(c, r.labels().contains(c));
        }
      }
      items.add(new FleetComparison.Item(r.id(), null, r.text(), labels));
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetComparisonCommand()).execute(args));
  }
}
