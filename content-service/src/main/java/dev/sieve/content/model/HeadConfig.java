package dev.sieve.content.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON configuration next to the head's weights ({@code config.json}): everything needed to
 * rebuild, verify and explain the served model.
 *
 * <p>It pins what the weights assume (encoder id, chunking, pooling and scale, architecture, output
 * order) so that the service refuses a combination it was not trained for, and it carries the
 * decisions made on dev (calibration, thresholds, which categories are served) plus lineage
 * (dataset version, training parameters, artifact SHA-256, code commit).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeadConfig(
    @JsonProperty("name") String name,
    @JsonProperty("version") String version,
    @JsonProperty("created") String created,
    @JsonProperty("taxonomy_version") String taxonomyVersion,
    @JsonProperty("encoder") String encoder,
    @JsonProperty("words_per_chunk") int wordsPerChunk,
    @JsonProperty("max_chunks") int maxChunks,
    @JsonProperty("pooling") String pooling,
    @JsonProperty("input_scale") float inputScale,
    @JsonProperty("architecture") HeadArchitecture architecture,
    @JsonProperty("categories") List<CategoryConfig> categories,
    @JsonProperty("dataset_version") String datasetVersion,
    @JsonProperty("training") Map<String, Object> training,
    @JsonProperty("artifact_file") String artifactFile,
    @JsonProperty("artifact_sha256") String artifactSha256,
    @JsonProperty("artifact_bytes") long artifactBytes,
    @JsonProperty("code_commit") String codeCommit,
    @JsonProperty("ngram_file") @JsonInclude(JsonInclude.Include.NON_NULL) String ngramFile,
    @JsonProperty("ngram_sha256") @JsonInclude(JsonInclude.Include.NON_NULL) String ngramSha256) {

  public static final String FILE = "config.json";

  /** A head without an n-gram model (every category's {@code ngram_weight} 0). */
  public HeadConfig(
      String name,
      String version,
      String created,
      String taxonomyVersion,
      String encoder,
      int wordsPerChunk,
      int maxChunks,
      String pooling,
      float inputScale,
      HeadArchitecture architecture,
      List<CategoryConfig> categories,
      String datasetVersion,
      Map<String, Object> training,
      String artifactFile,
      String artifactSha256,
      long artifactBytes,
      String codeCommit) {
    this(
        name,
        version,
        created,
        taxonomyVersion,
        encoder,
        wordsPerChunk,
        maxChunks,
        pooling,
        inputScale,
        architecture,
        categories,
        datasetVersion,
        training,
        artifactFile,
        artifactSha256,
        artifactBytes,
        codeCommit,
        null,
        null);
  }

  /** A copy that fuses the n-gram model in {@code file} (SHA-256 {@code sha256}) with the head. */
  public HeadConfig withNgram(String file, String sha256, List<CategoryConfig> fusedCategories) {
    return new HeadConfig(
        name,
        version,
        created,
        taxonomyVersion,
        encoder,
        wordsPerChunk,
        maxChunks,
        pooling,
        inputScale,
        architecture,
        fusedCategories,
        datasetVersion,
        training,
        artifactFile,
        artifactSha256,
        artifactBytes,
        codeCommit,
        file,
        sha256);
  }

  public static final String POOLING_MEAN_MAX = "mean+max";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @JsonCreator
  public HeadConfig {
    categories = List.copyOf(categories);
    training = training == null ? Map.of() : Map.copyOf(training);
    if (architecture != null && architecture.outputs() != categories.size()) {
      throw new IllegalArgumentException(
          "head has "
              + architecture.outputs()
              + " outputs but "
              + categories.size()
              + " categories");
    }
  }

  /** Output category ids in head order. */
  @JsonIgnore
  public List<String> categoryIds() {
    return categories.stream().map(CategoryConfig::category).toList();
  }

  @JsonIgnore
  public List<String> servedCategoryIds() {
    return categories.stream()
        .filter(CategoryConfig::served)
        .map(CategoryConfig::category)
        .toList();
  }

  public Optional<CategoryConfig> category(String id) {
    return categories.stream().filter(c -> c.category().equals(id)).findFirst();
  }

  public static HeadConfig read(Path file) {
    try {
      return MAPPER.readValue(file.toFile(), HeadConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model configuration " + file, e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      MAPPER.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model configuration " + file, e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
