package dev.sieve.url.bench;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.Split;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.core.util.Settings;
import dev.sieve.url.UrlTierScorer;
import dev.sieve.url.features.FeatureBuffer;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.table.KnownDomainTableLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the url tier per URL, single-threaded, against a floor measured in the same run.
 *
 * <ul>
 *   <li>{@code floor}: what any URL lookup pays: parse and normalize the URL (registered domain
 *       included, via core's UrlNormalizer) plus one hash-map probe on the registered domain;
 *   <li>{@code featurizeAndScore}: parse + the lexical model's featurization + scoring of every
 *       category + calibration (the model path of the tier);
 *   <li>{@code featurizeAndScorePreParsed}: the same without the parse (model cost alone);
 *   <li>{@code featurizeOnlyPreParsed}: the featurizer alone (no weight lookups);
 *   <li>{@code tierScore}: the whole tier on a parsed URL: table walk, model, evidence, response
 *       proto.
 * </ul>
 *
 * Uses the released model and the current dataset under SIEVE_HOME (default: working directory);
 * URLs are https://host/path built from test-split hosts and background hosts. Run (from the repo
 * root, after {@code ./mvnw -B -q -pl url-service -Pbench package -DskipTests}): {@code java -cp
 * "url-service/target/test-classes:url-service/target/classes:url-service/target/bench-lib/*"
 * org.openjdk.jmh.Main UrlTierBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class UrlTierBenchmark {

  private static final String[] PATHS = {
    "/", "/index.html", "/games/play?id=42", "/news/2024/05/story-title", "/login?user=x&next=/home"
  };

  private String[] urls;
  private NormalizedUrl[] parsed;
  private Map<String, Integer> registeredDomains;
  private LexicalUrlModel model;
  private UrlTierScorer tier;
  private FeatureBuffer buffer;
  private double[] logits;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws UrlRejectedException {
    Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath();
    DatasetVersion dataset = DatasetVersion.current(home.resolve("data/datasets"));
    model =
        LexicalUrlModel.loadReleased(home.resolve("models").resolve(LexicalUrlModel.NAME))
            .orElseThrow(() -> new IllegalStateException("no released url model under " + home));
    tier = new UrlTierScorer(KnownDomainTableLoader.forServing(Set.of()).load(dataset), model);
    List<String> hosts = new ArrayList<>();
    int[] seen = {0};
    dataset.forEachDomain(
        r -> {
          if (Split.TEST.id().equals(r.split()) && seen[0]++ % 50 == 0 && hosts.size() < 1500)
            hosts.add(r.host());
        });
    dataset.forEachBackground(
        r -> {
          if (Split.TEST.id().equals(r.split()) && seen[0]++ % 10 == 0 && hosts.size() < 2048)
            hosts.add(r.host());
        });
    urls = new String[hosts.size()];
    parsed = new NormalizedUrl[hosts.size()];
    registeredDomains = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      urls[i] = "https://" + hosts.get(i) + PATHS[i % PATHS.length];
      parsed[i] = UrlNormalizer.instance().normalize(urls[i]);
      registeredDomains.put(parsed[i].registeredDomain(), i);
    }
    buffer = model.featurizer().newBuffer();
    logits = new double[model.categories().size()];
  }

  private int nextIndex() {
    int i = next++;
    if (next == urls.length) {
      next = 0;
    }
    return i;
  }

  @Benchmark
  public Integer floor() throws UrlRejectedException {
    NormalizedUrl url = UrlNormalizer.instance().normalize(urls[nextIndex()]);
    return registeredDomains.get(url.registeredDomain());
  }

  @Benchmark
  public void featurizeAndScore(Blackhole bh) throws UrlRejectedException {
    NormalizedUrl url = UrlNormalizer.instance().normalize(urls[nextIndex()]);
    scoreAll(url, bh);
  }

  @Benchmark
  public void featurizeAndScorePreParsed(Blackhole bh) {
    scoreAll(parsed[nextIndex()], bh);
  }

  private void scoreAll(NormalizedUrl url, Blackhole bh) {
    model.featurizer().featurize(url, buffer);
    model.rawLogits(buffer, logits);
    for (int j = 0; j < logits.length; j++) {
      bh.consume(model.calibrate(j, logits[j]));
    }
  }

  @Benchmark
  public int featurizeOnlyPreParsed() {
    model.featurizer().featurize(parsed[nextIndex()], buffer);
    return buffer.size();
  }

  @Benchmark
  public Object tierScore() {
    return tier.score(parsed[nextIndex()], List.of());
  }
}
