package dev.sieve.llm.eval;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.Split;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.llm.category.CategoryCatalog;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.input.InputKind;
import dev.sieve.llm.input.UrlTextRenderer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds the zero-shot evaluation tasks from a dataset version, honouring its label semantics.
 *
 * <p>Emerging categories have no taxonomy label; the dataset keeps the source lists that define
 * them as provenance ({@code sources}): ai_chatbots = hosts from {@code ut1/ai} or {@code
 * shadowwhisperer/AI}; cheating = hosts from {@code ut1/tricheur}. Their negatives are background
 * hosts plus hosts of the other lists (minus every AI and cheating host), as the lists are
 * positive-only and the other lists are the realistic confusers. Core categories use the dataset's
 * labels and {@code label_scope}: a host or text is a negative for a category only when the
 * category is in its scope (for domains that means background hosts). Sampling is uniform and
 * seeded (reservoir per split and class), capped so a run stays within minutes on two cores; the
 * card reports the sampled support and the pools they came from.
 */
public final class EvalDataLoader {

  static final Set<String> AI_SOURCES = Set.of("ut1/ai", "shadowwhisperer/ai");
  static final Set<String> CHEATING_SOURCES = Set.of("ut1/tricheur");

  private final DatasetVersion dataset;
  private final long seed;
  private final int maxPositives;
  private final int maxNegatives;
  private final Map<String, Long> pools = new LinkedHashMap<>();

  /**
   * @param maxPositives cap per (task, split) on positives
   * @param maxNegatives cap per (task, split) on negatives (emerging tasks: half background, half
   *     other lists)
   */
  public EvalDataLoader(DatasetVersion dataset, long seed, int maxPositives, int maxNegatives) {
    this.dataset = dataset;
    this.seed = seed;
    this.maxPositives = maxPositives;
    this.maxNegatives = maxNegatives;
  }

  /** Sizes of the pools the samples were drawn from (for the card). */
  public Map<String, Long> pools() {
    return pools;
  }

  public List<EvalTask> load(CategoryCatalog catalog) {
    List<EvalTask> tasks = new ArrayList<>();
    tasks.addAll(domainTasks(catalog));
    tasks.addAll(textTasks(catalog));
    return tasks;
  }

  private static boolean hasSource(DomainRecord record, Set<String> wanted) {
    for (String key : record.sources().keySet()) {
      if (wanted.contains(key.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private Map<Split, Reservoir<DomainRecord>> perSplit(int capacity, String salt) {
    Map<Split, Reservoir<DomainRecord>> map = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      map.put(split, new Reservoir<>(capacity, seed ^ (salt + split).hashCode()));
    }
    return map;
  }

  private List<EvalTask> domainTasks(CategoryCatalog catalog) {
    List<String> core =
        catalog.categories().stream()
            .filter(c -> !c.emerging())
            .map(CategoryDefinition::id)
            .toList();
    Map<Split, Reservoir<DomainRecord>> ai = perSplit(maxPositives, "ai");
    Map<Split, Reservoir<DomainRecord>> cheating = perSplit(maxPositives, "cheating");
    Map<Split, Reservoir<DomainRecord>> otherLists = perSplit(maxNegatives / 2, "other");
    Map<String, Map<Split, Reservoir<DomainRecord>>> corePositives = new LinkedHashMap<>();
    for (String id : core) {
      corePositives.put(id, perSplit(maxPositives, "pos-" + id));
    }
    dataset.forEachDomain(
        record -> {
          Split split = Split.parse(record.split());
          boolean isAi = hasSource(record, AI_SOURCES);
          boolean isCheating = hasSource(record, CHEATING_SOURCES);
          if (isAi) {
            ai.get(split).offer(record);
          }
          if (isCheating) {
            cheating.get(split).offer(record);
          }
          if (!isAi && !isCheating) {
            otherLists.get(split).offer(record);
          }
          for (String id : core) {
            if (record.labels().contains(id)) {
              corePositives.get(id).get(split).offer(record);
            }
          }
        });
    Map<Split, Reservoir<DomainRecord>> backgroundForCore = perSplit(maxNegatives, "bg-core");
    dataset.forEachBackground(
        record -> {
          Split split = Split.parse(record.split());
          if (hasSource(record, AI_SOURCES) || hasSource(record, CHEATING_SOURCES)) {
            return;
          }
          backgroundForCore.get(split).offer(record);
        });
    pools.put("domains: ai_chatbots hosts (ut1/ai, shadowwhisperer/AI)", seen(ai));
    pools.put("domains: cheating hosts (ut1/tricheur)", seen(cheating));
    pools.put("domains: other-list hosts (no ai/cheating source)", seen(otherLists));
    pools.put("background hosts", seen(backgroundForCore));

    List<EvalTask> tasks = new ArrayList<>();
    // Emerging tasks: half of the core background sample (a seeded shuffle, so it stays uniform)
    // plus as many other-list hosts; sharing the sample keeps the embedding work bounded.
    Map<Split, Reservoir<DomainRecord>> backgroundForEmerging = new EnumMap<>(Split.class);
    for (Map.Entry<Split, Reservoir<DomainRecord>> e : backgroundForCore.entrySet()) {
      List<DomainRecord> shuffled = new ArrayList<>(e.getValue().items());
      Collections.shuffle(shuffled, new Random(seed + e.getKey().ordinal()));
      Reservoir<DomainRecord> half = new Reservoir<>(maxNegatives / 2, seed);
      shuffled.stream().limit(maxNegatives / 2).forEach(half::offer);
      backgroundForEmerging.put(e.getKey(), half);
    }
    List<EvalExample> emergingNegatives = new ArrayList<>();
    addHosts(emergingNegatives, backgroundForEmerging, false, "background");
    addHosts(emergingNegatives, otherLists, false, null);
    if (catalog.covers("ai_chatbots")) {
      List<EvalExample> examples = new ArrayList<>();
      addHosts(examples, ai, true, null);
      examples.addAll(emergingNegatives);
      tasks.add(
          new EvalTask(
              "ai_chatbots/url",
              "ai_chatbots",
              InputKind.URL,
              "hosts listed in UT1 'ai' or ShadowWhisperer 'AI' (dataset source labels)",
              "background hosts + hosts of the other lists (none with an ai or cheating source)",
              true,
              true,
              List.of("ut1/ai", "shadowwhisperer/AI"),
              examples));
    }
    if (catalog.covers("cheating")) {
      List<EvalExample> examples = new ArrayList<>();
      addHosts(examples, cheating, true, null);
      examples.addAll(emergingNegatives);
      tasks.add(
          new EvalTask(
              "cheating/url",
              "cheating",
              InputKind.URL,
              "hosts listed in UT1 'tricheur' (dataset source label)",
              "background hosts + hosts of the other lists (none with an ai or cheating source)",
              true,
              true,
              List.of(),
              examples));
    }
    List<EvalExample> coreNegatives = new ArrayList<>();
    addHosts(coreNegatives, backgroundForCore, false, "background");
    for (String id : core) {
      Map<Split, Reservoir<DomainRecord>> positives = corePositives.get(id);
      pools.put("domains labelled " + id, seen(positives));
      if (positives.get(Split.DEV).items().size() < 5
          || positives.get(Split.TEST).items().size() < 5) {
        continue;
      }
      List<EvalExample> examples = new ArrayList<>();
      addHosts(examples, positives, true, null);
      examples.addAll(coreNegatives);
      tasks.add(
          new EvalTask(
              id + "/url",
              id,
              InputKind.URL,
              "hosts labelled " + id + " in the dataset (from its mapped lists)",
              "background hosts (label scope '*': weak negatives)",
              false,
              true,
              List.of(),
              examples));
    }
    return tasks;
  }

  private static long seen(Map<Split, ? extends Reservoir<?>> reservoirs) {
    return reservoirs.values().stream().mapToLong(Reservoir::seen).sum();
  }

  private static void addHosts(
      List<EvalExample> out,
      Map<Split, Reservoir<DomainRecord>> reservoirs,
      boolean positive,
      String sourceOverride) {
    for (Map.Entry<Split, Reservoir<DomainRecord>> entry : reservoirs.entrySet()) {
      for (DomainRecord record : entry.getValue().items()) {
        String rendering;
        try {
          rendering =
              UrlTextRenderer.render(
                  UrlNormalizer.instance().normalizeHost(record.host(), "https"));
        } catch (UrlRejectedException e) {
          continue;
        }
        if (rendering.isBlank()) {
          continue;
        }
        String source =
            sourceOverride != null ? sourceOverride : String.join(",", record.sources().keySet());
        out.add(new EvalExample(record.host(), rendering, positive, entry.getKey(), source));
      }
    }
  }

  private List<EvalTask> textTasks(CategoryCatalog catalog) {
    List<String> core =
        catalog.categories().stream()
            .filter(c -> !c.emerging())
            .map(CategoryDefinition::id)
            .toList();
    Map<String, Map<Split, Reservoir<TextRecord>>> pos = new LinkedHashMap<>();
    Map<String, Map<Split, Reservoir<TextRecord>>> neg = new LinkedHashMap<>();
    for (String id : core) {
      pos.put(id, textReservoirs(maxPositives, "tpos-" + id));
      neg.put(id, textReservoirs(maxNegatives, "tneg-" + id));
    }
    List<EvalExample> cssrs = new ArrayList<>();
    dataset.forEachText(
        record -> {
          Split split = Split.parse(record.split());
          if ("cssrs".equals(record.source())
              && record.inScope("self_harm")
              && !record.text().isBlank()) {
            cssrs.add(
                new EvalExample(
                    record.id(),
                    record.text(),
                    record.labels().contains("self_harm"),
                    split,
                    "cssrs:" + record.meta().getOrDefault("cssrs_level", "?")));
          }
          for (String id : core) {
            if (record.inScope(id) && !record.text().isBlank()) {
              (record.labels().contains(id) ? pos : neg).get(id).get(split).offer(record);
            }
          }
        });
    List<EvalTask> tasks = new ArrayList<>();
    if (!cssrs.isEmpty()) {
      pools.put("texts: cssrs users", (long) cssrs.size());
      tasks.add(
          new EvalTask(
              "self_harm/cssrs",
              "self_harm",
              InputKind.TEXT,
              "C-SSRS users rated Ideation, Behavior or Attempt (all their posts, one text per user)",
              "C-SSRS users rated Supportive or Indicator (same subreddits: hard negatives)",
              true,
              false,
              List.of("cssrs:Ideation", "cssrs:Behavior", "cssrs:Attempt"),
              cssrs));
    }
    for (String id : core) {
      pools.put("texts labelled " + id, seen(pos.get(id)));
      pools.put("texts in scope, not " + id, seen(neg.get(id)));
      if (pos.get(id).get(Split.DEV).items().size() < 5
          || neg.get(id).get(Split.DEV).items().size() < 20) {
        continue;
      }
      List<EvalExample> examples = new ArrayList<>();
      for (Map.Entry<Split, Reservoir<TextRecord>> e : pos.get(id).entrySet()) {
        e.getValue()
            .items()
            .forEach(
                r -> examples.add(new EvalExample(r.id(), r.text(), true, e.getKey(), r.source())));
      }
      for (Map.Entry<Split, Reservoir<TextRecord>> e : neg.get(id).entrySet()) {
        e.getValue()
            .items()
            .forEach(
                r ->
                    examples.add(new EvalExample(r.id(), r.text(), false, e.getKey(), r.source())));
      }
      tasks.add(
          new EvalTask(
              id + "/text",
              id,
              InputKind.TEXT,
              "texts labelled "
                  + id
                  + " (all text sources; mixed registers: posts, tweets, prompts)",
              "texts with " + id + " in label scope and not labelled " + id,
              false,
              true,
              List.of(),
              examples));
    }
    return tasks;
  }

  private Map<Split, Reservoir<TextRecord>> textReservoirs(int capacity, String salt) {
    Map<Split, Reservoir<TextRecord>> map = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      map.put(split, new Reservoir<>(capacity, seed ^ (salt + split).hashCode()));
    }
    return map;
  }
}
