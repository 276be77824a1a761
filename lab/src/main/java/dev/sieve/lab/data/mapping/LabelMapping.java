package dev.sieve.lab.data.mapping;

import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.util.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The versioned label-mapping table ({@code data/mapping/label-mapping.tsv}): the single place that
 * says what every source category means in taxonomy v1, with a reason per row.
 *
 * <p>A TSV file rather than code so that a reviewer can read and diff the decisions, and so that
 * the data card can print the table itself. Its version line and SHA-256 go into every manifest: a
 * changed mapping is a new dataset version.
 */
public final class LabelMapping {

  public static final String FILE_NAME = "label-mapping.tsv";
  private static final String VERSION_PREFIX = "# mapping-version:";

  private final String version;
  private final String sha256;
  private final List<MappingRow> rows;
  private final Map<String, MappingRow> bySourceCategory;

  private LabelMapping(String version, String sha256, List<MappingRow> rows) {
    this.version = version;
    this.sha256 = sha256;
    this.rows = List.copyOf(rows);
    Map<String, MappingRow> map = new LinkedHashMap<>();
    for (MappingRow row : rows) {
      map.put(key(row.source(), row.category()), row);
    }
    this.bySourceCategory = map;
  }

  /** Loads and validates the table; every error names the line. */
  public static LabelMapping load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read label mapping " + file, e);
    }
    return parse(new String(bytes, StandardCharsets.UTF_8), Sha256.of(bytes), file.toString());
  }

  static LabelMapping parse(String text, String sha256, String name) {
    Set<String> taxonomyIds = Set.copyOf(Taxonomy.v1().ids());
    String version = null;
    List<MappingRow> rows = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    boolean headerSeen = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replace("\r", "");
      int lineNo = i + 1;
      if (line.startsWith(VERSION_PREFIX)) {
        version = line.substring(VERSION_PREFIX.length()).strip();
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      if (!headerSeen) {
        headerSeen = true;
        if (cols[0].equals("source")) {
          continue;
        }
      }
      if (cols.length != 6) {
        throw new IllegalArgumentException(
            name + ":" + lineNo + ": expected 6 tab-separated columns, got " + cols.length);
      }
      MappingRow.Action action;
      try {
        action = MappingRow.Action.parse(cols[2]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name + ":" + lineNo + ": unknown action '" + cols[2] + "'");
      }
      List<String> taxonomy = splitList(cols[3]);
      for (String id : taxonomy) {
        if (!taxonomyIds.contains(id)) {
          throw new IllegalArgumentException(
              name + ":" + lineNo + ": '" + id + "' is not a taxonomy v1 id");
        }
      }
      boolean needsTaxonomy =
          action == MappingRow.Action.MAP
              || action == MappingRow.Action.NEGATIVE
              || action == MappingRow.Action.KEYWORD_RULES;
      if (needsTaxonomy == taxonomy.isEmpty()) {
        throw new IllegalArgumentException(
            name
                + ":"
                + lineNo
                + ": action "
                + action
                + (needsTaxonomy ? " needs" : " takes no")
                + " taxonomy ids");
      }
      if (cols[5].isBlank()) {
        throw new IllegalArgumentException(name + ":" + lineNo + ": every row needs a reason");
      }
      String source = cols[0].strip();
      String category = cols[1].strip();
      if (!seen.add(key(source, category))) {
        throw new IllegalArgumentException(
            name + ":" + lineNo + ": duplicate row for " + source + "/" + category);
      }
      rows.add(
          new MappingRow(
              source, category, action, taxonomy, splitList(cols[4]), cols[5].strip(), lineNo));
    }
    if (version == null || version.isEmpty()) {
      throw new IllegalArgumentException(name + ": missing '" + VERSION_PREFIX + " ...' line");
    }
    return new LabelMapping(version, sha256, rows);
  }

  private static List<String> splitList(String s) {
    if (s.isBlank()) {
      return List.of();
    }
    return Arrays.stream(s.split(";")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  private static String key(String source, String category) {
    return source + "\u0000" + category;
  }

  public String version() {
    return version;
  }

  public String sha256() {
    return sha256;
  }

  public List<MappingRow> rows() {
    return rows;
  }

  public Optional<MappingRow> find(String source, String category) {
    return Optional.ofNullable(bySourceCategory.get(key(source, category)));
  }

  public List<MappingRow> rowsOf(String source) {
    return rows.stream().filter(r -> r.source().equals(source)).toList();
  }

  /**
   * The categories a text source's labels are complete for: every taxonomy id its MAP, NEGATIVE and
   * KEYWORD_RULES rows mention. (Sources whose rows are flagged positive_only have no shared
   * scope.)
   */
  public List<String> scopeOf(String source) {
    Set<String> scope = new TreeSet<>();
    for (MappingRow row : rowsOf(source)) {
      if (row.action() == MappingRow.Action.MAP
          || row.action() == MappingRow.Action.NEGATIVE
          || row.action() == MappingRow.Action.KEYWORD_RULES) {
        scope.addAll(row.taxonomy());
      }
    }
    return List.copyOf(scope);
  }
}
