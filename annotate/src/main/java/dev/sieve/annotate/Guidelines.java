package dev.sieve.annotate;

import dev.sieve.core.taxonomy.Category;
import dev.sieve.core.taxonomy.Taxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The category guidelines shown next to every item: each category's definition from the table in
 * {@code docs/taxonomy.md} (the document annotators and policy authors share), falling back to the
 * taxonomy's own definition when the file is absent (a container without the docs).
 */
public final class Guidelines {

  private static final Pattern ROW =
      Pattern.compile("^\\| `([a-z_]+)` \\| ([^|]+) \\| ([^|]+) \\|");

  private final Map<String, String[]> byCategory;

  private Guidelines(Map<String, String[]> byCategory) {
    this.byCategory = byCategory;
  }

  public static Guidelines load(Path taxonomyMd) {
    Map<String, String[]> out = new LinkedHashMap<>();
    for (Category c : Taxonomy.v1().categories()) {
      out.put(c.id(), new String[] {c.displayName(), c.definition()});
    }
    if (taxonomyMd != null && Files.isRegularFile(taxonomyMd)) {
      try {
        for (String line : Files.readAllLines(taxonomyMd)) {
          Matcher m = ROW.matcher(line);
          if (m.find() && out.containsKey(m.group(1))) {
            out.put(
                m.group(1), new String[] {m.group(2).strip(), m.group(3).strip().replace("`", "")});
          }
        }
      } catch (IOException e) {
        // fall back to the taxonomy's definitions
      }
    }
    return new Guidelines(out);
  }

  public String name(String category) {
    return byCategory.getOrDefault(category, new String[] {category, ""})[0];
  }

  public String definition(String category) {
    return byCategory.getOrDefault(category, new String[] {category, ""})[1];
  }
}
