package dev.sieve.url.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.url.UrlTierScorer;
import dev.sieve.url.model.ModelArtifacts;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code model-metadata.json} of a url-lexical version: what the trainer knows about the model and
 * the evaluation standard cannot measure (identity, training, ownership, intended use, caveats).
 * {@code ./sieve eval run --tier url} reads it to write the standard model card, and the release
 * gate checks the card's artifacts against its list.
 *
 * <p>Why it is built from the training report: everything specific to one training run (version,
 * training date, code commit, hyper-parameters, dataset, weighting, the trainer's caveats and the
 * goals its test evaluation missed) is read from {@code training-report.json}, so the metadata says
 * exactly what the report says and can be regenerated for an existing version without retraining.
 * The trainer's standing statements about the model (type, license, owner, intended use, users, out
 * of scope, ethics) are defined here once and also feed the report.
 *
 * <p>Written as plain JSON in the field names of eval's {@code ModelMetadata} (the service's
 * runtime class path does not carry the eval module); tests read it back with {@code
 * ModelMetadata.read}, which rejects unknown fields.
 */
public final class UrlModelMetadata {

  public static final String FILE = "model-metadata.json";

  public static final String TYPE =
      "multi-label URL/domain classifier: one-vs-rest logistic regression over hashed lexical URL features";
  public static final String LICENSE =
      "weights derived from CC BY-SA 4.0 (UT1) and public-domain/MIT/Unlicense "
          + "lists: distribute under CC BY-SA 4.0";
  public static final String OWNER = "Sieve url-service (dev.sieve.url)";
  static final String CONTACT = "url-service owners (Sieve)";
  static final String INTENDED_USE =
      "Scoring URLs a K-12 web filter sees, per taxonomy category, for hosts the "
          + "known-domain table does not list: the url tier's model behind the router, with thresholds and policy "
          + "applied by the router.";
  static final String PRIMARY_USERS =
      "the Sieve router and engineers reviewing verdicts (evidence lists the top features)";
  static final List<String> OUT_OF_SCOPE =
      List.of(
          "judging page content (it sees only the URL)",
          "deciding anything about a student",
          "categories without host labels, such as self_harm and weapons (no model: the tier reports no opinion)",
          "authoritative blocking without the router's policy and thresholds");
  static final List<String> ETHICAL_CONSIDERATIONS =
      List.of(
          "Over-blocking withholds legitimate information from students: adult-looking lexical cues fire on "
              + "sex-education and LGBTQ+ resources (the card's protected slices), so the content tier and the "
              + "router's policy must back the url tier on such hosts.",
          "Labels are the editorial judgement of third-party block lists (UT1, the Block List Project and "
              + "others), noise included; hosts in languages and TLDs the lists cover poorly are scored less "
              + "reliably (recall by TLD in the training report).",
          "Verdicts carry the top lexical features as evidence, so a reviewer can see why a site was flagged "
              + "and contest it.");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private UrlModelMetadata() {}

  /** The training report's intended-use paragraph (use and primary users). */
  public static String intendedUseParagraph() {
    return INTENDED_USE + " Primary users: " + PRIMARY_USERS + ".";
  }

  /** The training report's out-of-scope sentence. */
  public static String outOfScopeSentence() {
    return sentence(String.join("; ", OUT_OF_SCOPE)) + ".";
  }

  /**
   * The metadata of the version a training report describes.
   *
   * @param report {@code training-report.json} as written by the url trainer
   * @throws IllegalArgumentException when the report lacks the model's name, version or date
   */
  public static ObjectNode fromReport(JsonNode report) {
    JsonNode model = report.path("model");
    JsonNode hyper = model.path("hyperparameters");
    JsonNode data = report.path("data");
    ObjectNode m = JSON.objectNode();
    m.put("name", required(model, "name"));
    m.put("version", required(model, "version"));
    m.put("date", required(report, "generated_at"));
    m.put("tier", UrlTierScorer.TIER);
    m.put("type", model.path("type").asText(TYPE));
    m.put(
        "training_algorithm",
        hyper.path("algorithm").asText()
            + "; calibration: "
            + hyper.path("calibration").asText()
            + "; quantization: "
            + hyper.path("quantization").asText());
    ObjectNode hyperparameters = m.putObject("hyperparameters");
    hyperparameters.setAll((ObjectNode) hyper.deepCopy());
    hyperparameters.set("features", model.path("features").deepCopy());
    m.put("code_commit", model.path("code_commit").asText());
    m.put("license", model.path("license").asText(LICENSE));
    m.put("owner", model.path("owner").asText(OWNER));
    m.put("contact", CONTACT);
    ArrayNode artifacts = m.putArray("artifacts");
    ModelArtifacts.FILES.forEach(artifacts::add);
    m.put("training_dataset_version", data.path("dataset_version").asText());
    m.put("class_weighting", data.path("weighting").asText());
    double sampleRate = hyper.path("out_of_scope_sample_rate").asDouble(1.0);
    m.put(
        "resampling",
        sampleRate >= 1.0
            ? "none"
            : "other lists' hosts sampled per category at rate "
                + sampleRate
                + ", their weight scaled by 1/"
                + sampleRate);
    m.put("intended_use", INTENDED_USE);
    m.putArray("primary_users").add(sentence(PRIMARY_USERS));
    ArrayNode outOfScope = m.putArray("out_of_scope");
    OUT_OF_SCOPE.forEach(s -> outOfScope.add(sentence(s)));
    ArrayNode ethics = m.putArray("ethical_considerations");
    ETHICAL_CONSIDERATIONS.forEach(ethics::add);
    m.set("caveats", caveats(report));
    return m;
  }

  /**
   * The report's caveats, the categories without a model, and every goal its test evaluation
   * missed.
   */
  private static ArrayNode caveats(JsonNode report) {
    ArrayNode caveats = JSON.arrayNode();
    report.path("caveats").forEach(c -> caveats.add(c.asText()));
    String without = report.path("data").path("categories_without_model").asText("");
    if (!without.isBlank()) {
      caveats.add(
          "No model for "
              + without
              + " (too few training positives): the tier has no opinion on them "
              + "unless the known-domain table lists the host.");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("test").path("goals").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> goal = it.next();
      if (goal.getValue().path("met").asBoolean(true)) {
        continue;
      }
      StringBuilder measured = new StringBuilder();
      goal.getValue()
          .fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("goal") && !f.getKey().equals("met")) {
                  measured
                      .append(measured.isEmpty() ? "" : ", ")
                      .append(f.getKey())
                      .append(' ')
                      .append(TrainingReportWriter.fmt(f.getValue()));
                }
              });
      caveats.add(
          "Goal not met in the trainer's test evaluation (training-report.md, at the trainer's thresholds): "
              + goal.getKey()
              + " ("
              + goal.getValue().path("goal").asText()
              + "); measured "
              + measured
              + ".");
    }
    return caveats;
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isBlank()) {
      throw new IllegalArgumentException(
          "training report has no '" + field + "': cannot write " + FILE);
    }
    return value;
  }

  private static String sentence(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
