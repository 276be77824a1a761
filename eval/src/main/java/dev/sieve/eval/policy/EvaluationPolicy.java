package dev.sieve.eval.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sieve.core.util.Settings;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.threshold.ThresholdPolicy;
import dev.sieve.eval.threshold.ThresholdRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The policy file ({@code release-gate.yaml} at the repository root): how models are measured, how
 * thresholds are chosen, what blocks a release, and which slices are protected. One file so that a
 * reviewer sees the whole bargain in one place; YAML or JSON (JSON is YAML).
 *
 * <p>Unknown keys fail the load: a typo in a recall floor must not silently disable it.
 *
 * @param version file format version (1)
 * @param evaluation measurement settings
 * @param thresholds threshold-selection rules
 * @param gate release gate
 * @param protectedSlices slice name to membership rule
 * @param tiers tier name to its exceptions (threshold rules and floors that replace the standard's
 *     for that tier's models); see {@link #forTier(String)}
 */
public record EvaluationPolicy(
    int version,
    EvaluationSettings evaluation,
    ThresholdPolicy thresholds,
    GatePolicy gate,
    Map<String, SliceRule> protectedSlices,
    Map<String, TierPolicy> tiers) {

  /** Default location, relative to SIEVE_HOME. */
  public static final String FILE = "release-gate.yaml";

  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public EvaluationPolicy {
    if (version != 1) {
      throw new IllegalArgumentException("policy version must be 1, got " + version);
    }
    evaluation =
        evaluation == null
            ? new EvaluationSettings(null, null, null, null, null, null, null)
            : evaluation;
    thresholds = thresholds == null ? ThresholdPolicy.maxF1Everywhere() : thresholds;
    gate = gate == null ? GatePolicy.lenient() : gate;
    protectedSlices = protectedSlices == null ? Map.of() : new TreeMap<>(protectedSlices);
    tiers = tiers == null ? Map.of() : new TreeMap<>(tiers);
  }

  /**
   * The policy a model of {@code tier} is held to: the standard with the tier's exceptions applied
   * (category rules replaced one by one; a null gate entry drops that floor). Unchanged when the
   * tier has none.
   */
  public EvaluationPolicy forTier(String tier) {
    TierPolicy t = tier == null ? null : tiers.get(tier);
    if (t == null) {
      return this;
    }
    Map<String, ThresholdRule> rules = new TreeMap<>(thresholds.categories());
    rules.putAll(t.thresholds());
    Map<String, GateCategoryRule> floors = new TreeMap<>(gate.categories());
    t.gate()
        .forEach(
            (category, rule) -> {
              if (rule == null) {
                floors.remove(category);
              } else {
                floors.put(category, rule);
              }
            });
    GatePolicy g = gate.withCategories(floors);
    return new EvaluationPolicy(
        version,
        evaluation,
        new ThresholdPolicy(thresholds.defaults(), rules),
        g,
        protectedSlices,
        Map.of());
  }

  /** Whether {@code tier}'s models are advisory ({@link TierPolicy#advisory()}). */
  public boolean advisory(String tier) {
    TierPolicy t = tier == null ? null : tiers.get(tier);
    return t != null && t.advisory();
  }

  /** Why {@code tier} deviates from the standard, when it does. */
  public Optional<String> exceptionReason(String tier) {
    return Optional.ofNullable(tier == null ? null : tiers.get(tier)).map(TierPolicy::reason);
  }

  public EvalOptions options() {
    return evaluation.toOptions();
  }

  public static EvaluationPolicy load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return YAML.readValue(in, EvaluationPolicy.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read policy " + file + ": " + e.getMessage(), e);
    }
  }

  public static EvaluationPolicy parse(String yaml) {
    try {
      return YAML.readValue(yaml, EvaluationPolicy.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid policy: " + e.getMessage(), e);
    }
  }

  /** The built-in copy of the standard policy (used when the repository has no policy file). */
  public static EvaluationPolicy builtIn() {
    try (InputStream in = EvaluationPolicy.class.getResourceAsStream("default-release-gate.yaml")) {
      if (in == null) {
        throw new IllegalStateException("built-in policy missing from the jar");
      }
      return YAML.readValue(in, EvaluationPolicy.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code path} when given, else SIEVE_HOME/release-gate.yaml when present, else built-in. */
  public static EvaluationPolicy resolve(Path explicit, Path home) {
    if (explicit != null) {
      return load(explicit);
    }
    Path file = home.resolve(FILE);
    return Files.isRegularFile(file) ? load(file) : builtIn();
  }

  /** SIEVE_HOME (repo root holding data/ and models/), default: the working directory. */
  public static Path home() {
    return Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
  }
}
