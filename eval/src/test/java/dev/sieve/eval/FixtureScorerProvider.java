package dev.sieve.eval;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.eval.card.ModelMetadata;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerProvider;
import dev.sieve.eval.scoring.TierBaseline;
import dev.sieve.eval.scoring.TierScorerSource;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A test tier ("fixture") registered through the real ServiceLoader path: a keyword URL scorer
 * whose strength comes from its artifact (model.bin: "strength=0.8"), so two model versions score
 * differently and regressions can be planted.
 */
public final class FixtureScorerProvider implements ScorerProvider {

  @Override
  public String tier() {
    return "fixture";
  }

  @Override
  public Set<DatasetExamples.Inputs> defaultInputs() {
    return EnumSet.of(DatasetExamples.Inputs.DOMAINS, DatasetExamples.Inputs.BACKGROUND);
  }

  @Override
  public TierScorer create(ScorerContext context) throws IOException {
    Path dir =
        context.modelDir().orElseThrow(() -> new IOException("fixture tier needs a model dir"));
    String bin = Files.readString(dir.resolve("model.bin")).strip();
    double strength = Double.parseDouble(bin.substring(bin.indexOf('=') + 1));
    ModelMetadata meta = ModelMetadata.read(dir.resolve(ModelMetadata.FILE));
    return new Scorer(strength, meta.name(), meta.version());
  }

  /** A tier-offered baseline: the same scorer at a fixed, weak strength. */
  @Override
  public List<TierBaseline> baselines(ScorerContext context, DatasetVersion dataset) {
    return List.of(
        new TierBaseline(
            "fixture_weak",
            "The fixture scorer at strength 0.3.",
            new TierScorerSource(new Scorer(0.3, "fixture-weak", "0"), "weak fixture", 2, null)));
  }

  /** The scorer: keyword base score per category plus deterministic per-host noise. */
  static final class Scorer implements TierScorer {
    private final double strength;
    private final String name;
    private final String version;

    Scorer(double strength, String name, String version) {
      this.strength = strength;
      this.name = name;
      this.version = version;
    }

    @Override
    public String tier() {
      return "fixture";
    }

    @Override
    public TierDescription describe() {
      return TierDescription.newBuilder()
          .setTier("fixture")
          .setModel(ModelInfo.newBuilder().setName(name).setVersion(version))
          .addAllCategories(List.of("self_harm", "gambling", "adult"))
          .build();
    }

    @Override
    public ScoreResponse score(ScoreRequest request) throws ScoringException {
      NormalizedUrl url;
      try {
        url = UrlNormalizer.instance().normalize(request.getUrl());
      } catch (UrlRejectedException e) {
        throw ScoringException.invalidArgument("url rejected: " + e.getMessage());
      }
      String h = url.host();
      double noise = ((h.hashCode() & 0xffff) / 65535.0 - 0.5) * 0.3;
      boolean gambling = h.contains("casino") || h.contains("bet");
      boolean adult = h.contains("xxx") || h.contains("cam") || h.contains("tube");
      // "sex" alone is a weak cue: it also fires on sex-education sites (a protected slice).
      double adultBase = adult ? 0.35 + 0.45 * strength : h.contains("sex") ? 0.4 : 0.1;
      return ScoreResponse.newBuilder()
          .setTier("fixture")
          .setNormalizedInput(url.canonical())
          .addScores(score("gambling", gambling ? 0.35 + 0.45 * strength : 0.15, noise))
          .addScores(score("adult", adultBase, noise))
          .addScores(score("self_harm", 0.05, noise / 3))
          .build();
    }

    private static CategoryScore score(String c, double base, double noise) {
      return CategoryScore.newBuilder()
          .setCategory(c)
          .setScore(Math.min(1, Math.max(0, base + noise)))
          .build();
    }
  }
}
