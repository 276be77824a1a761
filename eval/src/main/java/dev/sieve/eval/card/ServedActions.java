package dev.sieve.eval.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a deployed Sieve does with each category by default, as the card's "Default action" column
 * says it. A card that printed the taxonomy's proposal instead of the router's default policy told
 * readers that ai_chatbots was blocked while the router served it ALLOW (issue #17): the column
 * must describe the served configuration, so it is read from the policy file the router embeds.
 *
 * <p>Only {@code categories.<id>.action}, {@code categories.<id>.alert} and {@code
 * emerging.default.action} are read; the router's own parser validates the file, and a router test
 * holds the released cards and this reading in agreement with what the router parses.
 *
 * @param source where the actions came from, in words
 * @param byCategory lower-case action per category the policy names ("block", "alert", "allow +
 *     alert")
 * @param emergingDefault lower-case action of categories outside the taxonomy (emerging, llm tier
 *     only)
 */
public record ServedActions(String source, Map<String, String> byCategory, String emergingDefault) {

  /** The router's embedded default policy, relative to the repository root. */
  public static final String DEFAULT_POLICY = "router/src/main/resources/default-policy.yaml";

  public ServedActions {
    byCategory = Map.copyOf(new TreeMap<>(byCategory));
  }

  /**
   * The taxonomy's proposals: only for callers that have no policy file (unit tests, a bare API
   * user).
   */
  public static ServedActions taxonomyDefaults() {
    return new ServedActions("taxonomy defaults", Map.of(), "allow");
  }

  /**
   * The repository's default policy when it exists under {@code home}, else the taxonomy's
   * proposals.
   */
  public static ServedActions forHome(Path home) {
    Path file = home.resolve(DEFAULT_POLICY);
    return Files.isRegularFile(file) ? read(file) : taxonomyDefaults();
  }

  /** Reads the actions of a router policy file. */
  public static ServedActions read(Path policyFile) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(policyFile.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the router policy " + policyFile + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          policyFile + " is not a router policy (no mapping at the top)");
    }
    Map<String, String> actions = new TreeMap<>();
    JsonNode categories = root.path("categories");
    for (Iterator<Map.Entry<String, JsonNode>> it = categories.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      JsonNode node = e.getValue();
      String action =
          node.hasNonNull("action")
              ? node.get("action").asText().toLowerCase(Locale.ROOT)
              : Taxonomy.v1().find(id).map(ServedActions::taxonomyAction).orElse("block");
      boolean alert = node.path("alert").asBoolean(false);
      actions.put(id, alert && !action.equals("alert") ? action + " + alert" : action);
    }
    String emerging =
        root.path("emerging")
            .path("default")
            .path("action")
            .asText("allow")
            .toLowerCase(Locale.ROOT);
    return new ServedActions("default policy " + policyFile.getFileName(), actions, emerging);
  }

  /**
   * The action a deployment with this policy applies to a decided category: the policy's, else the
   * taxonomy's default (the router's rule for a category the policy leaves out), else the emerging
   * default for a category outside the taxonomy.
   */
  public String actionOf(String category) {
    String named = byCategory.get(category);
    if (named != null) {
      return named;
    }
    Optional<Category> cat = Taxonomy.v1().find(category);
    return cat.map(ServedActions::taxonomyAction).orElse(emergingDefault + " (emerging)");
  }

  private static String taxonomyAction(Category c) {
    String action = c.defaultAction().name().toLowerCase(Locale.ROOT);
    return c.alerts() && !action.equals("alert") ? action + " + alert" : action;
  }
}
