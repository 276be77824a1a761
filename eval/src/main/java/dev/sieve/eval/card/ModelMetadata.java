package dev.sieve.eval.card;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the trainer knows about a model and the evaluation cannot measure: identity, training
 * algorithm, ownership, intended use. Written by the trainer as {@code model-metadata.json} in the
 * model directory; the card generator adds everything measurable (artifact hashes, metrics).
 *
 * <p>Required: {@code name}, {@code version}, {@code artifacts}. Dates are taken from here only, so
 * a card regenerated from the same inputs is byte-identical.
 *
 * @param name model name, also the directory under models/ (e.g. "url-lexical")
 * @param version version directory name (e.g. "1.0.0")
 * @param date release/training date as the trainer states it (ISO-8601), never "now"
 * @param tier tier that serves it: "url", "content", "llm"
 * @param type model type / architecture in words
 * @param trainingAlgorithm training algorithm in words
 * @param hyperparameters hyper-parameters as name to value
 * @param codeCommit git commit of the training code
 * @param license license of the model artifact (and the data licenses it inherits)
 * @param owner owning team or person
 * @param contact how to reach the owner
 * @param artifacts artifact files relative to the model directory; the card records their SHA-256
 * @param trainingDatasetVersion dataset version id the model was trained on
 * @param classWeighting how class imbalance was handled (weights), in words
 * @param resampling resampling used, in words ("none" when none)
 * @param intendedUse intended use (the standard text is used when absent)
 * @param primaryUsers primary users
 * @param outOfScope out-of-scope uses
 * @param ethicalConsiderations ethical considerations
 * @param caveats trainer-stated caveats and known gaps
 */
public record ModelMetadata(
    String name,
    String version,
    String date,
    String tier,
    String type,
    String trainingAlgorithm,
    Map<String, Object> hyperparameters,
    String codeCommit,
    String license,
    String owner,
    String contact,
    List<String> artifacts,
    String trainingDatasetVersion,
    String classWeighting,
    String resampling,
    String intendedUse,
    List<String> primaryUsers,
    List<String> outOfScope,
    List<String> ethicalConsiderations,
    List<String> caveats) {

  public static final String FILE = "model-metadata.json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public ModelMetadata {
    if (name == null || name.isBlank() || version == null || version.isBlank()) {
      throw new IllegalArgumentException("model metadata needs 'name' and 'version'");
    }
    if (artifacts == null || artifacts.isEmpty()) {
      throw new IllegalArgumentException(
          "model metadata needs 'artifacts': the files whose SHA-256 the card records");
    }
    for (String a : artifacts) {
      if (Path.of(a).isAbsolute() || Path.of(a).normalize().startsWith("..")) {
        throw new IllegalArgumentException(
            "artifact path must be inside the model directory: " + a);
      }
    }
    hyperparameters = hyperparameters == null ? Map.of() : new TreeMap<>(hyperparameters);
    artifacts = List.copyOf(artifacts);
    primaryUsers = primaryUsers == null ? List.of() : List.copyOf(primaryUsers);
    outOfScope = outOfScope == null ? List.of() : List.copyOf(outOfScope);
    ethicalConsiderations =
        ethicalConsiderations == null ? List.of() : List.copyOf(ethicalConsiderations);
    caveats = caveats == null ? List.of() : List.copyOf(caveats);
  }

  /**
   * Reads {@code model-metadata.json}; unknown fields are errors (a misspelt field is lost data).
   */
  public static ModelMetadata read(Path file) {
    try {
      return MAPPER.readValue(file.toFile(), ModelMetadata.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read model metadata " + file + ": " + e.getMessage(), e);
    }
  }
}
