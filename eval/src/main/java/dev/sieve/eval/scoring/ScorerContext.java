package dev.sieve.eval.scoring;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link ScorerProvider} needs to build a scorer for offline evaluation.
 *
 * @param home SIEVE_HOME: the repository root holding data/ and models/
 * @param modelDir the model version directory to load (models/&lt;name&gt;/&lt;version&gt;); empty
 *     = the tier's default (its RELEASED version)
 * @param options free-form provider options from the command line ({@code --scorer-option k=v})
 */
public record ScorerContext(Path home, Optional<Path> modelDir, Map<String, String> options) {

  public ScorerContext {
    modelDir = modelDir == null ? Optional.empty() : modelDir;
    options = options == null ? Map.of() : new TreeMap<>(options);
  }

  public static ScorerContext of(Path home, Path modelDir) {
    return new ScorerContext(home, Optional.ofNullable(modelDir), Map.of());
  }

  /** The same context for another model directory (e.g. the previous released version). */
  public ScorerContext withModelDir(Path dir) {
    return new ScorerContext(home, Optional.of(dir), options);
  }
}
