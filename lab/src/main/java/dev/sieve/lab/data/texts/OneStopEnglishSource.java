package dev.sieve.lab.data.texts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OneStopEnglish: 189 Guardian news articles rewritten for classrooms at three reading levels. One
 * record per article and level (a whole article: page-length text, several encoder chunks); {@code
 * group} = the article, so its three versions share a split (they are near-paraphrases). The
 * top-level {@code Int-Txt/*.txt} copies lost every non-ASCII character upstream; their clean
 * nested copies ({@code Int-Txt/Int-Txt/}) are read instead.
 */
public final class OneStopEnglishSource extends OrdinaryTextSource {

  static final String ARCHIVE = "Texts-SeparatedByReadingLevel.tar.gz";
  private static final Pattern PATH =
      Pattern.compile(
          "Texts-SeparatedByReadingLevel/(Adv-Txt|Ele-Txt|Int-Txt/Int-Txt)/(.+)-(adv|ele|int)\\.txt");

  @Override
  public String id() {
    return "ordinary/onestopenglish";
  }

  @Override
  protected String backgroundCategory() {
    return "article";
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
      Matcher m = PATH.matcher(entry.getKey());
      if (!m.matches()) {
        continue; // the ASCII-stripped Int-Txt copies and stray files
      }
      line++;
      ctx.report().file(label).lines++;
      String article = m.group(2).strip();
      String level = m.group(3);
      String text = TextCleaner.clean(entry.getValue());
      if (level.equals("int") && text.startsWith("Intermediate")) {
        text = text.substring("Intermediate".length()).strip();
      }
      TextDraft d =
          located(
              ordinary(
                  ctx,
                  id() + ":" + slug(article) + "-" + level,
                  "news_article",
                  text,
                  false,
                  false),
              label,
              line);
      apply(d, requiredRow(ctx, "news"));
      d.group = "onestopenglish:" + slug(article);
      d.meta.put("title", article.replaceFirst("^WNL ", ""));
      d.meta.put("reading_level", level);
      out.add(d);
      ctx.report().file(label).accepted++;
    }
    return out;
  }

  static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
