package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public Domain Recipes: one record per recipe page (Markdown). The YAML front matter is reduced to
 * the title (tags, dates and author names are metadata, not page text) and image links are removed;
 * the rest is kept as written. Ordinary text (some recipes use wine, beer or liqueur).
 */
public final class RecipesSource extends OrdinaryTextSource {

  static final String ARCHIVE = "content_markdown.tar.gz";
  private static final Pattern FRONT_MATTER =
      Pattern.compile("(?s)\\A---\\s*\\n(.*?)\\n---\\s*\\n?");
  private static final Pattern TITLE = Pattern.compile("(?m)^title:\\s*[\"']?(.*?)[\"']?\\s*$");
  private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\([^)]*\\)");

  @Override
  public String id() {
    return "ordinary/recipes";
  }

  @Override
  protected String backgroundCategory() {
    return "recipe";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    Optional<TarArchive> archive = tarArchive(ctx, ARCHIVE);
    if (archive.isEmpty()) {
      return out;
    }
    String label = archive.get().label();
    Map<String, String> entries = archive.get().entries();
    long line = 0;
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String name = entry.getKey();
      if (!name.endsWith(".md") || name.endsWith("_index.md")) {
        continue;
      }
      line++;
      ctx.report().file(label).lines++;
      String body = entry.getValue();
      String title = "";
      Matcher fm = FRONT_MATTER.matcher(body);
      if (fm.find()) {
        Matcher t = TITLE.matcher(fm.group(1));
        title = t.find() ? t.group(1) : "";
        body = body.substring(fm.end());
      }
      String text =
          TextCleaner.clean(
              (title.isEmpty() ? "" : title + "\n") + IMAGE.matcher(body).replaceAll(" "));
      String slug = name.substring(name.lastIndexOf('/') + 1, name.length() - 3);
      TextDraft d =
          located(ordinary(ctx, id() + ":" + slug, "recipe", text, false, false), label, line);
      d.group = "recipes:" + slug;
      d.meta.put("title", title);
      out.add(d);
      ctx.report().file(label).accepted++;
    }
    if (line == 0) {
      ctx.report()
          .fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, "no recipe pages in the archive");
    }
    return out;
  }
}
