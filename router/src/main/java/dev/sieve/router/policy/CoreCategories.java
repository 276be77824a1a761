package dev.sieve.router.policy;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense indexes for the built-in taxonomy categories.
 *
 * <p>The router touches every core category on every request (merge, thresholds, response), so it
 * works on arrays indexed by taxonomy position instead of maps keyed by id: one hash lookup per
 * tier score on the way in, array reads everywhere after that. Emerging categories are few and
 * dynamic and stay in maps.
 */
public final class CoreCategories {

  private static final List<Category> CATEGORIES = Taxonomy.v1().categories();
  private static final String[] IDS = Taxonomy.v1().ids().toArray(new String[0]);
  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    for (int i = 0; i < IDS.length; i++) {
      INDEX.put(IDS[i], i);
    }
  }

  private CoreCategories() {}

  /** Number of core categories. */
  public static int count() {
    return IDS.length;
  }

  /** The id at taxonomy position {@code index}. */
  public static String id(int index) {
    return IDS[index];
  }

  /** The category at taxonomy position {@code index}. */
  public static Category category(int index) {
    return CATEGORIES.get(index);
  }

  /**
   * Taxonomy position of {@code id}, or -1 when it is not a core category (emerging or unknown).
   */
  public static int indexOf(String id) {
    Integer index = INDEX.get(id);
    return index == null ? -1 : index;
  }

  /** Core ids in taxonomy order. */
  public static List<String> ids() {
    return List.of(IDS);
  }
}
