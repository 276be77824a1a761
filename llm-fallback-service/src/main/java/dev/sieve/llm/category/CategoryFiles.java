package dev.sieve.llm.category;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the three category files ({@code core.yaml}, {@code emerging.yaml}, {@code
 * background.yaml}) into a {@link CategoryCatalog}.
 *
 * <p>Validation is strict because these files are edited by hand and hot-reloaded into a running
 * service: an unknown key (a typo such as {@code descripton}) or a missing field rejects the whole
 * change with a message naming the file and entry, rather than silently serving a category with no
 * description. Rules:
 *
 * <ul>
 *   <li>{@code format: 1} is required in every file.
 *   <li>core: ids must be Taxonomy v1 ids; display name, definition and default action come from
 *       Taxonomy v1 and may not be set here.
 *   <li>emerging: ids match {@code [a-z][a-z0-9_]{1,47}}, may not shadow a Taxonomy v1 id (core's
 *       {@link Taxonomy#withEmerging} rule), need a display name and a default action
 *       (allow|block|alert).
 *   <li>every category: a non-blank description of at most {@value #MAX_DESCRIPTION_CHARS}
 *       characters; at most {@value #MAX_EXAMPLES} positive and negative examples of at most
 *       {@value #MAX_EXAMPLE_CHARS} characters each; no duplicate ids across files.
 *   <li>background: at least {@value #MIN_BACKGROUND} non-blank entries.
 * </ul>
 */
public final class CategoryFiles {

  public static final String CORE = "core.yaml";
  public static final String EMERGING = "emerging.yaml";
  public static final String BACKGROUND = "background.yaml";
  public static final List<String> ALL = List.of(CORE, EMERGING, BACKGROUND);

  static final int MAX_DESCRIPTION_CHARS = 2000;
  static final int MAX_EXAMPLES = 20;
  static final int MAX_EXAMPLE_CHARS = 1000;
  static final int MIN_BACKGROUND = 5;
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{1,47}");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private CategoryFiles() {}

  record Examples(
      @JsonProperty("positive") List<String> positive,
      @JsonProperty("negative") List<String> negative) {}

  record Entry(
      @JsonProperty("id") String id,
      @JsonProperty("display_name") String displayName,
      @JsonProperty("description") String description,
      @JsonProperty("default_action") String defaultAction,
      @JsonProperty("examples") Examples examples) {}

  record CategoriesFile(
      @JsonProperty("format") Integer format, @JsonProperty("categories") List<Entry> categories) {}

  record BackgroundFile(
      @JsonProperty("format") Integer format,
      @JsonProperty("background") List<String> background) {}

  /**
   * Builds a catalog from the three files' contents.
   *
   * @param origin where the files came from (for logs)
   * @throws CategoryConfigException naming the file, entry and rule that failed
   */
  public static CategoryCatalog parse(
      String coreYaml, String emergingYaml, String backgroundYaml, String origin)
      throws CategoryConfigException {
    List<CategoryDefinition> all = new ArrayList<>();
    CategoriesFile core = read(coreYaml, CORE, CategoriesFile.class);
    requireFormat(core.format(), CORE);
    for (Entry entry : entries(core, CORE)) {
      all.add(coreDefinition(entry));
    }
    CategoriesFile emerging = read(emergingYaml, EMERGING, CategoriesFile.class);
    requireFormat(emerging.format(), EMERGING);
    for (Entry entry : entries(emerging, EMERGING)) {
      all.add(emergingDefinition(entry));
    }
    Set<String> seen = new HashSet<>();
    for (CategoryDefinition definition : all) {
      if (!seen.add(definition.id())) {
        throw new CategoryConfigException("category '" + definition.id() + "' is defined twice");
      }
    }
    BackgroundFile background = read(backgroundYaml, BACKGROUND, BackgroundFile.class);
    requireFormat(background.format(), BACKGROUND);
    List<String> backgroundTexts =
        background.background() == null ? List.of() : background.background();
    for (int i = 0; i < backgroundTexts.size(); i++) {
      String text = backgroundTexts.get(i);
      if (text == null || text.isBlank()) {
        throw new CategoryConfigException(BACKGROUND + ": entry " + (i + 1) + " is blank");
      }
      if (text.length() > MAX_EXAMPLE_CHARS) {
        throw new CategoryConfigException(
            BACKGROUND
                + ": entry "
                + (i + 1)
                + " is longer than "
                + MAX_EXAMPLE_CHARS
                + " characters");
      }
    }
    if (backgroundTexts.size() < MIN_BACKGROUND) {
      throw new CategoryConfigException(
          BACKGROUND
              + ": needs at least "
              + MIN_BACKGROUND
              + " background texts, has "
              + backgroundTexts.size());
    }
    String version =
        "cat-"
            + Sha256.of(coreYaml + "\u0000" + emergingYaml + "\u0000" + backgroundYaml)
                .substring(0, 12);
    try {
      return new CategoryCatalog(
          all, backgroundTexts.stream().map(String::strip).toList(), version, origin);
    } catch (IllegalArgumentException e) {
      throw new CategoryConfigException(EMERGING + ": " + e.getMessage(), e);
    }
  }

  private static <T> T read(String yaml, String file, Class<T> type)
      throws CategoryConfigException {
    if (yaml == null || yaml.isBlank()) {
      throw new CategoryConfigException(file + ": file is empty");
    }
    try {
      T value = YAML.readValue(yaml, type);
      if (value == null) {
        throw new CategoryConfigException(file + ": file has no content");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new CategoryConfigException(
          file
              + ": "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
          e);
    }
  }

  private static void requireFormat(Integer format, String file) throws CategoryConfigException {
    if (format == null || format != 1) {
      throw new CategoryConfigException(file + ": 'format: 1' is required, got " + format);
    }
  }

  private static List<Entry> entries(CategoriesFile file, String name)
      throws CategoryConfigException {
    if (file.categories() == null) {
      throw new CategoryConfigException(name + ": 'categories' list is missing");
    }
    for (int i = 0; i < file.categories().size(); i++) {
      if (file.categories().get(i) == null) {
        throw new CategoryConfigException(name + ": category entry " + (i + 1) + " is empty");
      }
    }
    return file.categories();
  }

  private static CategoryDefinition coreDefinition(Entry entry) throws CategoryConfigException {
    String where = CORE + ": category '" + entry.id() + "'";
    if (entry.id() == null) {
      throw new CategoryConfigException(CORE + ": a category has no id");
    }
    Category category =
        Taxonomy.v1()
            .find(entry.id())
            .orElseThrow(
                () ->
                    new CategoryConfigException(
                        where + " is not a Taxonomy v1 id " + Taxonomy.v1().ids()));
    if (entry.displayName() != null || entry.defaultAction() != null) {
      throw new CategoryConfigException(
          where
              + ": display_name and default_action are owned by Taxonomy v1 and may not be set here");
    }
    String description = requireDescription(entry, where);
    return new CategoryDefinition(
        category.id(),
        category.displayName(),
        category.definition(),
        description,
        examples(entry, where, true),
        examples(entry, where, false),
        category.defaultAction(),
        false);
  }

  private static CategoryDefinition emergingDefinition(Entry entry) throws CategoryConfigException {
    if (entry.id() == null) {
      throw new CategoryConfigException(EMERGING + ": a category has no id");
    }
    String where = EMERGING + ": category '" + entry.id() + "'";
    if (!ID.matcher(entry.id()).matches()) {
      throw new CategoryConfigException(where + ": id must match [a-z][a-z0-9_]{1,47}");
    }
    if (Taxonomy.v1().contains(entry.id())) {
      throw new CategoryConfigException(
          where + " shadows a built-in Taxonomy v1 category; pick another id");
    }
    if (entry.displayName() == null || entry.displayName().isBlank()) {
      throw new CategoryConfigException(where + ": display_name is required");
    }
    if (entry.defaultAction() == null) {
      throw new CategoryConfigException(where + ": default_action (allow|block|alert) is required");
    }
    DefaultAction action;
    try {
      action = DefaultAction.valueOf(entry.defaultAction().strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CategoryConfigException(
          where
              + ": default_action must be allow, block or alert, got '"
              + entry.defaultAction()
              + "'");
    }
    String description = requireDescription(entry, where);
    return new CategoryDefinition(
        entry.id(),
        entry.displayName().strip(),
        description,
        description,
        examples(entry, where, true),
        examples(entry, where, false),
        action,
        true);
  }

  private static String requireDescription(Entry entry, String where)
      throws CategoryConfigException {
    if (entry.description() == null || entry.description().isBlank()) {
      throw new CategoryConfigException(where + ": description is required");
    }
    if (entry.description().length() > MAX_DESCRIPTION_CHARS) {
      throw new CategoryConfigException(
          where + ": description is longer than " + MAX_DESCRIPTION_CHARS + " characters");
    }
    return entry.description().strip();
  }

  private static List<String> examples(Entry entry, String where, boolean positive)
      throws CategoryConfigException {
    if (entry.examples() == null) {
      return List.of();
    }
    List<String> list = positive ? entry.examples().positive() : entry.examples().negative();
    if (list == null) {
      return List.of();
    }
    String kind = positive ? "positive" : "negative";
    if (list.size() > MAX_EXAMPLES) {
      throw new CategoryConfigException(
          where + ": more than " + MAX_EXAMPLES + " " + kind + " examples (" + list.size() + ")");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String example = list.get(i);
      if (example == null || example.isBlank()) {
        throw new CategoryConfigException(
            where + ": " + kind + " example " + (i + 1) + " is blank");
      }
      if (example.length() > MAX_EXAMPLE_CHARS) {
        throw new CategoryConfigException(
            where
                + ": "
                + kind
                + " example "
                + (i + 1)
                + " is longer than "
                + MAX_EXAMPLE_CHARS
                + " characters");
      }
      out.add(example.strip());
    }
    return out;
  }
}
