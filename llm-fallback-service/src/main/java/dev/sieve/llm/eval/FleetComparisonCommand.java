package dev.sieve.llm.eval;

import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.Split;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Settings;
import dev.sieve.proto.v1.ClassifierGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sieve fleet-vs-tiers}: the "fleet is at least as good as its best tier" check against a
 * running router (see {@link FleetComparison}). Inputs come from the test split of the current
 * dataset: hosts as URL-only requests and texts as text-only requests, labelled for the categories
 * in their label scope (emerging source labels included: ai_chatbots, cheating).
 */
@Command(
    name = "fleet-vs-tiers",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the router's merged verdicts with each tier alone (tiers filter) on the test split;",
      "needs a running fleet (./sieve up). Prints a markdown table of per-category average precision."
    })
public final class FleetComparisonCommand implements SieveCommand {

  @Option(names = "--router", description = "Router target host:port (default: SIEVE_ROUTER_TARGET or 127.0.0.1:50051).")
  String router;

  @Option(names = "--home", description = "Repository root (default: SIEVE_HOME or .).")
  Path home;

  @Option(names = "--per-category", defaultValue = "100", description = "Positives sampled per category (default: ${DEFAULT-VALUE}).")
  int perCategory;

  @Option(names = "--negatives", defaultValue = "500", description = "Background hosts and in-scope negative texts (default: ${DEFAULT-VALUE}).")
  int negatives;

  @Option(names = "--tiers", split = ",", defaultValue = "url,content,llm", description = "Tiers to compare (default: ${DEFAULT-VALUE}).")
  List<String> tiers;

  @Option(names = "--concurrency", defaultValue = "8", description = "Calls in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--seed", defaultValue = "20251125")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path root = home != null ? home : Path.of(Settings.get("SIEVE_HOME", "."));
    DatasetVersion data = DatasetVersion.current(root.resolve("data/datasets"));
    List<FleetComparison.Item> items = items(data);
    String target = router != null ? router : Settings.get("SIEVE_ROUTER_TARGET", "127.0.0.1:50051");
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      FleetComparison comparison =
          new FleetComparison(ClassifierGrpc.newBlockingStub(channel), tiers, concurrency, 10_000);
      System.err.println("fleet-vs-tiers: " + items.size() + " items from " + data.id() + " against " + target);
      System.out.println(FleetComparison.markdown(comparison.run(items)));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    return 0;
  }

  private List<FleetComparison.Item> items(DatasetVersion data) {
    List<String> core = Taxonomy.v1().ids();
    Map<String, Reservoir<DomainRecord>> hostsByCategory = new LinkedHashMap<>();
    Reservoir<DomainRecord> background = new Reservoir<>(negatives, seed);
    data.forEachDomain(r -> {
      if (Split.parse(r.split()) != Split.TEST) {
        return;
      }
      for (String label : r.labels()) {
        hostsByCategory.computeIfAbsent(label, k -> new Reservoir<>(perCategory, seed ^ k.hashCode())).offer(r);
      }
      for (String source : r.sources().keySet()) {
        String s = source.toLowerCase(java.util.Locale.ROOT);
        if (EvalDataLoader.AI_SOURCES.contains(s)) {
          hostsByCategory.computeIfAbsent("ai_chatbots", k -> new Reservoir<>(perCategory, seed)).offer(r);
        } else if (EvalDataLoader.CHEATING_SOURCES.contains(s)) {
          hostsByCategory.computeIfAbsent("cheating", k -> new Reservoir<>(perCategory, seed)).offer(r);
        }
      }
    });
    data.forEachBackground(r -> {
      if (Split.parse(r.split()) == Split.TEST) {
        background.offer(r);
      }
    });
    List<FleetComparison.Item> items = new ArrayList<>();
    List<String> everything = new ArrayList<>(core);
    everything.add("ai_chatbots");
    everything.add("cheating");
    for (DomainRecord r : background.items()) {
      Map<String, Boolean> labels = new LinkedHashMap<>();
      everything.forEach(c -> labels.put(c, false));
      items.add(new FleetComparison.Item(r.host(), "https://" + r.host() + "/", null, labels));
    }
    hostsByCategory.forEach((category, reservoir) -> {
      for (DomainRecord r : reservoir.items()) {
        Map<String, Boolean> labels = new LinkedHashMap<>();
        labels.put(category, true);
        r.labels().forEach(l -> labels.put(l, true));
        items.add(new FleetComparison.Item(r.host(), "https://" + r.host() + "/", null, labels));
      }
    });
    Map<String, Reservoir<TextRecord>> texts = new LinkedHashMap<>();
    data.forEachText(r -> {
      if (Split.parse(r.split()) != Split.TEST) {
        return;
      }
      for (String c : core) {
        if (r.inScope(c)) {
          String key = c + (r.labels().contains(c) ? "+" : "-");
          texts.computeIfAbsent(key, k -> new Reservoir<>(key.endsWith("+") ? perCategory : negatives, seed ^ k.hashCode()))
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
    return items;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetComparisonCommand()).execute(args));
  }
}
