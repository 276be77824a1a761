package dev.sieve.llm.category;

import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.util.Sha256;
import java.util.List;
import java.util.Objects;

/**
 * One category as the zero-shot tier understands it: what it means in policy terms (for the LLM
 * prompt) and what its pages look like (for embedding similarity).
 *
 * <p>Two texts on purpose: the policy {@code definition} (for core categories the Taxonomy v1
 * definition, with its exclusions) is what a human and an LLM reason over; the {@code description}
 * is written like the pages it should match, because a sentence encoder compares texts of the same
 * register far better than it compares a page to a rule.
 *
 * @param id taxonomy id (core) or configured id (emerging)
 * @param displayName short human label
 * @param definition policy definition (what belongs in the category and what does not)
 * @param description page-like description: the main positive prototype for embedding similarity
 * @param positiveExamples few-shot positive examples (extra positive prototypes)
 * @param negativeExamples few-shot hard negatives (extra negative prototypes)
 * @param defaultAction K-12 default action of a positive decision
 * @param emerging true when the category is not a Taxonomy v1 id (configured, zero-shot only)
 */
public record CategoryDefinition(
    String id,
    String displayName,
    String definition,
    String description,
    List<String> positiveExamples,
    List<String> negativeExamples,
    DefaultAction defaultAction,
    boolean emerging) {

  public CategoryDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(defaultAction, "defaultAction");
    positiveExamples = List.copyOf(positiveExamples);
    negativeExamples = List.copyOf(negativeExamples);
  }

  /**
   * SHA-256 of what the embedded backend scores with (description and examples). A fitted
   * calibration applies only to the definition it was fitted on; editing the text invalidates it.
   */
  public String definitionHash() {
    StringBuilder sb = new StringBuilder(id).append('\u0000').append(description);
    for (String p : positiveExamples) {
      sb.append("\u0000+").append(p);
    }
    for (String n : negativeExamples) {
      sb.append("\u0000-").append(n);
    }
    return Sha256.of(sb.toString());
  }

  /** A copy with other few-shot examples (offline experiments: description-only vs few-shot). */
  public CategoryDefinition withExamples(List<String> positives, List<String> negatives) {
    return new CategoryDefinition(
        id, displayName, definition, description, positives, negatives, defaultAction, emerging);
  }
}
