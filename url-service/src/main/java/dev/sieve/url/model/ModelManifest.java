package dev.sieve.url.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sieve.url.features.FeatureConfig;
import java.util.List;
import java.util.Map;

/**
 * {@code model.json}: everything needed to rebuild the served model exactly and to trace it back to
 * its data and code: the feature configuration (hash seed included), per-category calibration and
 * thresholds, the training parameters, the dataset version, the code commit and the SHA-256 of each
 * binary artifact (checked on load).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
    @JsonProperty("name") String name,
    @JsonProperty("version") String version,
    @JsonProperty("format") int format,
    @JsonProperty("dataset_version") String datasetVersion,
    @JsonProperty("code_commit") String codeCommit,
    @JsonProperty("features") FeatureConfig features,
    @JsonProperty("quantization") String quantization,
    @JsonProperty("categories") List<CategoryParams> categories,
    @JsonProperty("training") Map<String, Object> training,
    @JsonProperty("artifacts") Map<String, String> artifacts) {

  public static final int FORMAT = 1;
}
