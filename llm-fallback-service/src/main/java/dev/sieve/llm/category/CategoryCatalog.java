package dev.sieve.llm.category;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated snapshot of everything the tier scores with: the core harmful categories,
 * the configured emerging categories and the shared background of ordinary pages.
 *
 * <p>Immutable so that a hot reload swaps one reference and an in-flight request keeps scoring
 * against the snapshot it started with. The {@link #version()} is a content hash of the three
 * files: it keys the LLM response cache and travels in the tier's lineage, so a verdict can always
 * be traced to the exact definitions that produced it.
 */
public final class CategoryCatalog {

  private final Map<String, CategoryDefinition> byId;
  private final List<String> background;
  private final String version;
  private final String origin;
  private final Taxonomy taxonomy;
  private final String backgroundHash;

  /**
   * @throws IllegalArgumentException when an emerging id shadows a Taxonomy v1 id or ids repeat
   */
  public CategoryCatalog(
      List<CategoryDefinition> categories, List<String> background, String version, String origin) {
    Map<String, CategoryDefinition> map = new LinkedHashMap<>();
    List<Category> emerging = new ArrayList<>();
    for (CategoryDefinition definition : categories) {
      if (map.put(definition.id(), definition) != null) {
        throw new IllegalArgumentException("duplicate category id '" + definition.id() + "'");
      }
      if (definition.emerging()) {
        emerging.add(
            new Category(
                definition.id(),
                definition.displayName(),
                definition.definition(),
                definition.defaultAction(),
                false,
                true));
      } else if (!Taxonomy.v1().contains(definition.id())) {
        throw new IllegalArgumentException(
            "core category '" + definition.id() + "' is not a Taxonomy v1 id");
      }
    }
    // Core's rule, enforced by core: an emerging id may not shadow a built-in id.
    this.taxonomy = Taxonomy.v1().withEmerging(emerging);
    this.byId = Collections.unmodifiableMap(map);
    this.background = List.copyOf(background);
    this.backgroundHash = Sha256.of(String.join("\u0000", this.background));
    this.version = version;
    this.origin = origin;
  }

  /** Every covered category: core ones in taxonomy order, then emerging ones in file order. */
  public List<CategoryDefinition> categories() {
    return List.copyOf(byId.values());
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public Optional<CategoryDefinition> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public boolean covers(String id) {
    return byId.containsKey(id);
  }

  /** Descriptions of ordinary pages: shared negative prototypes. */
  public List<String> background() {
    return background;
  }

  /**
   * Identity of everything a category's raw margin depends on in this catalog: its description and
   * examples plus the shared background. A fitted calibration is valid only for this hash, so
   * editing either the category or the background falls back to the default mapping instead of
   * silently applying a stale fit.
   */
  public String scoringHash(CategoryDefinition category) {
    return Sha256.of(category.definitionHash() + "|" + backgroundHash);
  }

  /** Content hash of the definition files ("cat-" + 12 hex). */
  public String version() {
    return version;
  }

  /** Where the snapshot was read from (directory or classpath), for logs. */
  public String origin() {
    return origin;
  }

  /** Taxonomy v1 plus this catalog's emerging categories. */
  public Taxonomy taxonomy() {
    return taxonomy;
  }

  /**
   * The same catalog with some categories replaced (offline experiments: a category defined by its
   * description alone, or with few-shot examples from the training split).
   */
  public CategoryCatalog withReplaced(List<CategoryDefinition> replacements, String variant) {
    Map<String, CategoryDefinition> copy = new LinkedHashMap<>(byId);
    for (CategoryDefinition replacement : replacements) {
      if (!copy.containsKey(replacement.id())) {
        throw new IllegalArgumentException("no category '" + replacement.id() + "' to replace");
      }
      copy.put(replacement.id(), replacement);
    }
    return new CategoryCatalog(
        new ArrayList<>(copy.values()),
        background,
        version + "+" + variant,
        origin + " (" + variant + ")");
  }
}
