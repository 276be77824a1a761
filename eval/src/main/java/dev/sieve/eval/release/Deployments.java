package dev.sieve.eval.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.eval.gate.GateReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a tier's versions stand in production (#15 item 5): the serving version (the tier's {@code
 * models/<name>/RELEASED}, which every service reads) and at most one candidate in {@code shadow}
 * or {@code canary}, recorded in {@code <home>/deployments/<tier>.json} with the history of every
 * step and an undo stack, so that {@link #rollback} is one step back whatever the last step was.
 *
 * <p>The rules a promotion must pass, and why:
 *
 * <ul>
 *   <li>every step requires the candidate's release gate to pass ({@code ./sieve release check}): a
 *       model whose card does not hold up offline is not shown live traffic either;
 *   <li>steps go shadow, then canary, then serving, for the same version: a version serves a share
 *       of tenants only after it was compared in shadow, and all of them only after its canary;
 *   <li>canary and serving require a shadow disagreement report ({@code ./sieve eval shadow --out
 *       DIR}) of this candidate version, with at least {@code minComparisons} comparisons, attached
 *       (its summary is copied into the record); when the report names categories whose flip rate
 *       is significant, an explanation must be given and is recorded with it.
 * </ul>
 *
 * <p>Serving means {@code RELEASED} is rewritten to the candidate's version (the services serve it
 * on their next start or model reload); rollback of that step writes the previous version back.
 */
public final class Deployments {

  /** The candidate's stage. */
  public enum Stage {
    SHADOW,
    CANARY,
    SERVING;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Stage parse(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--to must be shadow, canary or serving, got '" + value + "'");
      }
    }
  }

  /** The model directory name of each tier under models/. */
  public static final Map<String, String> MODEL_OF_TIER =
      Map.of("url", "url-lexical", "content", "content-minilm-mlp", "llm", "llm-zero-shot");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path home;
  private final Function<Path, GateReport> gate;
  private final Clock clock;

  /**
   * @param gate the release gate of a model directory (ReleaseGate.check with the home's policy)
   */
  public Deployments(Path home, Function<Path, GateReport> gate, Clock clock) {
    this.home = home.toAbsolutePath().normalize();
    this.gate = gate;
    this.clock = clock;
  }

  /** The state file of {@code tier}. */
  public Path stateFile(String tier) {
    return home.resolve("deployments").resolve(tier + ".json");
  }

  /** What a refused step says (exit 1, nothing written). */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * Moves {@code candidateDir} of {@code tier} to {@code to}.
   *
   * @param shadowReport directory with shadow-report.json (or the file), or null
   * @param explanation why the flagged disagreements are acceptable, or null
   * @return the lines to print
   */
  public List<String> promote(
      String tier,
      Path candidateDir,
      Stage to,
      Path shadowReport,
      String explanation,
      long minComparisons)
      throws IOException, Refused {
    String model = modelOf(tier);
    Path dir = candidateDir.toAbsolutePath().normalize();
    Path modelRoot = home.resolve("models").resolve(model);
    if (!dir.getParent().equals(modelRoot) || !Files.isDirectory(dir)) {
      throw new Refused(
          "the candidate of the "
              + tier
              + " tier must be a version directory under "
              + modelRoot
              + ", got "
              + dir);
    }
    String version = dir.getFileName().toString();
    ObjectNode state = read(tier);
    String serving = released(modelRoot);
    JsonNode candidate = state.path("candidate");
    String current = candidate.isObject() ? candidate.path("version").asText() : null;
    String currentStage = candidate.isObject() ? candidate.path("stage").asText() : null;
    if (version.equals(serving)) {
      throw new Refused(version + " is already the serving version of the " + tier + " tier");
    }
    switch (to) {
      case SHADOW -> {
        if (current != null && !current.equals(version)) {
          throw new Refused(
              "the "
                  + tier
                  + " tier already has candidate "
                  + current
                  + " ("
                  + currentStage
                  + "); roll it back first: ./sieve release rollback "
                  + tier);
        }
      }
      case CANARY -> requireStage(tier, version, current, currentStage, "shadow");
      case SERVING -> requireStage(tier, version, current, currentStage, "canary");
    }
    GateReport report = gate.apply(dir);
    if (!report.passed()) {
      throw new Refused("the release gate fails for " + dir + ":\n" + report.render());
    }
    ObjectNode attached = null;
    if (to != Stage.SHADOW) {
      attached = shadowReport(shadowReport, version, explanation, minComparisons);
    }
    // Push the state before this step, so rollback restores it exactly.
    ObjectNode undo = JSON.createObjectNode();
    undo.put("serving", serving);
    undo.set("candidate", candidate.isObject() ? candidate.deepCopy() : null);
    undo.put("step", "promote " + version + " to " + to.wireName());
    stack(state).add(undo);
    String now = clock.instant().toString();
    if (to == Stage.SERVING) {
      writeAtomically(modelRoot.resolve("RELEASED"), version + "\n");
      state.put("serving", version);
      state.putNull("candidate");
    } else {
      ObjectNode next = JSON.createObjectNode();
      next.put("version", version);
      next.put("dir", home.relativize(dir).toString());
      next.put("stage", to.wireName());
      next.put("since", now);
      next.put("gate", "passed");
      if (attached != null) {
        next.set("shadow_report", attached);
      }
      state.set("candidate", next);
      state.put("serving", serving);
    }
    ObjectNode event = history(state).addObject();
    event.put("at", now);
    event.put("action", "promote");
    event.put("version", version);
    event.put("to", to.wireName());
    event.put("previous_serving", serving);
    if (attached != null) {
      event.set("shadow_report", attached);
    }
    write(tier, state);
    List<String> lines = new ArrayList<>();
    lines.add("release gate PASSED for " + home.relativize(dir));
    if (to == Stage.SERVING) {
      lines.add(
          tier
              + " tier: "
              + version
              + " is now serving ("
              + home.relativize(modelRoot.resolve("RELEASED"))
              + " was "
              + serving
              + "); restart or reload the "
              + tier
              + " service; undo: ./sieve release rollback "
              + tier);
    } else {
      lines.add(
          tier
              + " tier: candidate "
              + version
              + " in "
              + to.wireName()
              + " beside serving "
              + serving
              + "; deploy it: ./sieve up --candidate "
              + tier
              + "="
              + home.relativize(dir)
              + " --candidate-mode "
              + to.wireName()
              + " (Helm: candidate.enabled, docs/operations.md \"Shadow and canary\")");
    }
    lines.add("recorded in " + home.relativize(stateFile(tier)));
    return lines;
  }

  /** Undoes the last promotion (or rollback-free step) of {@code tier}. */
  public List<String> rollback(String tier) throws IOException, Refused {
    String model = modelOf(tier);
    Path modelRoot = home.resolve("models").resolve(model);
    ObjectNode state = read(tier);
    ArrayNode stack = stack(state);
    if (stack.isEmpty()) {
      throw new Refused(
          "nothing to roll back for the "
              + tier
              + " tier (no promotion recorded in "
              + home.relativize(stateFile(tier))
              + ")");
    }
    JsonNode undo = stack.remove(stack.size() - 1);
    String serving = released(modelRoot);
    String previousServing = undo.path("serving").asText();
    List<String> lines = new ArrayList<>();
    if (!previousServing.equals(serving)) {
      if (!Files.isDirectory(modelRoot.resolve(previousServing))) {
        throw new Refused(
            "cannot roll back to "
                + previousServing
                + ": "
                + modelRoot.resolve(previousServing)
                + " is gone");
      }
      writeAtomically(modelRoot.resolve("RELEASED"), previousServing + "\n");
      lines.add(
          tier
              + " tier: serving "
              + previousServing
              + " again (was "
              + serving
              + "); restart or reload the "
              + tier
              + " service");
    }
    state.put("serving", previousServing);
    state.set("candidate", undo.path("candidate").isObject() ? undo.get("candidate") : null);
    JsonNode candidate = state.path("candidate");
    lines.add(
        tier
            + " tier: undid '"
            + undo.path("step").asText()
            + "'; candidate now: "
            + (candidate.isObject()
                ? candidate.path("version").asText() + " (" + candidate.path("stage").asText() + ")"
                : "none"));
    ObjectNode event = history(state).addObject();
    event.put("at", clock.instant().toString());
    event.put("action", "rollback");
    event.put("undid", undo.path("step").asText());
    event.put("serving", previousServing);
    write(tier, state);
    lines.add("recorded in " + home.relativize(stateFile(tier)));
    return lines;
  }

  /** The recorded state of {@code tier} (a fresh one when nothing was recorded yet). */
  public ObjectNode read(String tier) throws IOException {
    Path file = stateFile(tier);
    if (!Files.isRegularFile(file)) {
      ObjectNode fresh = JSON.createObjectNode();
      fresh.put("tier", tier);
      fresh.put("model", modelOf(tier));
      fresh.putNull("candidate");
      fresh.putArray("undo");
      fresh.putArray("history");
      return fresh;
    }
    JsonNode node = JSON.readTree(file.toFile());
    if (!(node instanceof ObjectNode object)) {
      throw new IOException(file + " is not a JSON object");
    }
    return object;
  }

  private void requireStage(
      String tier, String version, String current, String currentStage, String needed)
      throws Refused {
    if (current == null || !current.equals(version) || !needed.equals(currentStage)) {
      throw new Refused(
          "the "
              + tier
              + " tier's candidate is "
              + (current == null ? "none" : current + " (" + currentStage + ")")
              + "; "
              + version
              + " must be in "
              + needed
              + " first: ./sieve release promote "
              + tier
              + " <dir> --to "
              + needed);
    }
  }

  private ObjectNode shadowReport(
      Path report, String version, String explanation, long minComparisons)
      throws IOException, Refused {
    if (report == null) {
      throw new Refused(
          "attach the candidate's shadow disagreement report: --shadow-report DIR (./sieve eval shadow"
              + " <disagreement file> --out DIR)");
    }
    Path file = Files.isDirectory(report) ? report.resolve("shadow-report.json") : report;
    if (!Files.isRegularFile(file)) {
      throw new Refused("no shadow report at " + file);
    }
    JsonNode summary = JSON.readTree(file.toFile());
    boolean names = false;
    for (var it = summary.path("candidate_models").fieldNames(); it.hasNext(); ) {
      names |= it.next().contains(version);
    }
    if (!names) {
      throw new Refused(
          "the shadow report "
              + file
              + " compares candidate "
              + summary.path("candidate_models")
              + ", not "
              + version);
    }
    long comparisons = summary.path("estimated_comparisons").asLong();
    if (comparisons < minComparisons) {
      throw new Refused(
          "the shadow report has "
              + comparisons
              + " comparisons, fewer than "
              + minComparisons
              + " (--min-comparisons): let the shadow see more traffic");
    }
    List<String> flagged = new ArrayList<>();
    summary.path("needs_explanation").forEach(c -> flagged.add(c.asText()));
    if (!flagged.isEmpty() && (explanation == null || explanation.isBlank())) {
      throw new Refused(
          "the shadow report flags "
              + flagged
              + " (flip rate significantly above "
              + summary.path("flip_rate_explain_threshold").asDouble()
              + "): say why this is acceptable with --explanation");
    }
    ObjectNode attached = JSON.createObjectNode();
    attached.put("file", file.toAbsolutePath().normalize().toString());
    attached.set("summary", summary);
    if (explanation != null && !explanation.isBlank()) {
      attached.put("explanation", explanation.strip());
    }
    return attached;
  }

  private static String modelOf(String tier) {
    String model = MODEL_OF_TIER.get(tier);
    if (model == null) {
      throw new IllegalArgumentException("unknown tier '" + tier + "' (url, content or llm)");
    }
    return model;
  }

  private static String released(Path modelRoot) throws IOException {
    Path pointer = modelRoot.resolve("RELEASED");
    if (!Files.isRegularFile(pointer)) {
      throw new IOException("no " + pointer + ": the tier has no serving version to compare with");
    }
    return Files.readString(pointer, StandardCharsets.UTF_8).strip();
  }

  private static ArrayNode stack(ObjectNode state) {
    return state.has("undo") && state.get("undo").isArray()
        ? (ArrayNode) state.get("undo")
        : state.putArray("undo");
  }

  private static ArrayNode history(ObjectNode state) {
    return state.has("history") && state.get("history").isArray()
        ? (ArrayNode) state.get("history")
        : state.putArray("history");
  }

  private void write(String tier, ObjectNode state) throws IOException {
    Path file = stateFile(tier);
    Files.createDirectories(file.getParent());
    writeAtomically(file, JSON.writeValueAsString(state) + "\n");
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
