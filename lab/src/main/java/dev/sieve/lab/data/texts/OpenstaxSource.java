package dev.sieve.lab.data.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenStax textbooks (one JSON line per module, its text blocks in document order). Blocks are
 * merged into passages of about a paragraph or two ({@value #TARGET_WORDS} words, a new passage at
 * a heading), the unit a page section has; reference-list entries are excluded and counted. {@code
 * group} = the module, so a module's passages share a split.
 *
 * <p>Every passage is ordinary text. Passages of the reproductive-system and sexuality modules are
 * sex education whatever their words ({@link #SEX_EDUCATION_MODULE}); others get the help
 * categories by the topic rules ({@link TopicRules}).
 *
 * <p>Build-report entries of the file: one per passage built and one per citation block excluded
 * (the units a record, a de-duplicated copy and an exclusion are), plus one per line that yields
 * neither (unparseable JSON, a module too short for a passage); the line of an issue is the
 * module's line. Text after the last passage that is shorter than {@value #MIN_WORDS} words (a
 * closing heading or caption) is part of no entry.
 */
public final class OpenstaxSource extends OrdinaryTextSource {

  static final String FILE = "openstax_modules.jsonl.gz";
  static final int TARGET_WORDS = 120;
  static final int MIN_WORDS = 25;

  /** Modules whose every passage is sex education (matched on chapter or module title). */
  static final Pattern SEX_EDUCATION_MODULE =
      Pattern.compile("(?i)reproductive system|sexual behavior|sexuality|gender, sex");

  /** A reference-list entry or a bare link: not prose. */
  static final Pattern CITATION =
      Pattern.compile(
          "(?i)(\\bdoi\\b|doi\\.org|retrieved from|https?://|\\(\\d{4}[a-z]?\\)\\.\\s|,\\s*\\d+\\(\\d+\\),\\s*\\d+)");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String id() {
    return "ordinary/openstax";
  }

  @Override
  protected String backgroundCategory() {
    return "passage";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    Optional<Path> file = file(ctx, FILE);
    if (file.isEmpty()) {
      return out;
    }
    String label = label(ctx, file.get());
    try (BufferedReader reader = RawFiles.reader(file.get())) {
      String json;
      long line = 0;
      while ((json = reader.readLine()) != null) {
        line++;
        JsonNode module;
        try {
          module = JSON.readTree(json);
        } catch (IOException e) {
          ctx.report().file(label).lines++;
          ctx.report()
              .invalid(
                  label,
                  line,
                  BuildReport.Kind.MALFORMED_LINE,
                  "json_not_parseable",
                  e.getMessage());
          continue;
        }
        long entriesBefore = ctx.report().file(label).lines;
        passages(ctx, module, label, line, out);
        if (ctx.report().file(label).lines == entriesBefore) {
          ctx.report().file(label).lines++;
          ctx.report()
              .invalid(
                  label,
                  line,
                  BuildReport.Kind.INVALID_ENTRY,
                  "no_passages",
                  module.path("module_id").asText());
        }
      }
    } catch (IOException e) {
      ctx.report().fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
    }
    return out;
  }

  private void passages(
      Context ctx, JsonNode module, String label, long line, List<TextDraft> out) {
    String book = module.path("book").asText();
    String chapter = module.path("chapter").asText();
    String title = module.path("module_title").asText();
    String moduleId = module.path("module_id").asText();
    boolean sexEd = SEX_EDUCATION_MODULE.matcher(chapter + " | " + title).find();
    boolean inReferences = false;
    List<String> buffer = new ArrayList<>();
    int words = 0;
    int k = 0;
    for (JsonNode blockNode : module.path("blocks")) {
      String block = TextCleaner.whitespace(TextCleaner.decodeEntities(blockNode.asText()));
      if (block.isEmpty()) {
        continue;
      }
      boolean heading = isHeading(block);
      if (heading) {
        inReferences = block.equalsIgnoreCase("References");
      }
      if (inReferences || CITATION.matcher(block).find()) {
        ctx.report().file(label).lines++;
        exclude(ctx, label, "citation");
        continue;
      }
      if (heading && words >= 40) {
        k = flush(ctx, module, moduleId, k, buffer, sexEd, book, chapter, title, label, line, out);
        words = 0;
      }
      buffer.add(block);
      words += wordCount(block);
      if (words >= TARGET_WORDS) {
        k = flush(ctx, module, moduleId, k, buffer, sexEd, book, chapter, title, label, line, out);
        words = 0;
      }
    }
    if (words >= MIN_WORDS) {
      flush(ctx, module, moduleId, k, buffer, sexEd, book, chapter, title, label, line, out);
    }
  }

  private int flush(
      Context ctx,
      JsonNode module,
      String moduleId,
      int k,
      List<String> buffer,
      boolean sexEd,
      String book,
      String chapter,
      String title,
      String label,
      long line,
      List<TextDraft> out) {
    String text = String.join("\n", buffer);
    buffer.clear();
    // Module ids repeat across books (m00001 is in several repositories): ids name the repository
    // too.
    String repo = module.path("repo").asText();
    String repoModule =
        repo.substring(repo.lastIndexOf('/') + 1).replaceFirst("^osbooks-", "") + "/" + moduleId;
    TextDraft d =
        located(
            ordinary(ctx, id() + ":" + repoModule + "-" + k, "textbook", text, sexEd, false),
            label,
            line);
    d.group = "openstax:" + module.path("repo").asText() + "/" + moduleId;
    d.meta.put("book", book);
    d.meta.put("chapter", chapter);
    d.meta.put("module_title", title);
    out.add(d);
    ctx.report().file(label).lines++;
    ctx.report().file(label).accepted++;
    return k + 1;
  }

  /** A short line without closing punctuation: a section heading or a feature-box label. */
  static boolean isHeading(String block) {
    return wordCount(block) <= 8 && !block.matches("(?s).*[.!?:;]\\s*$");
  }

  static int wordCount(String s) {
    return s.isBlank() ? 0 : s.strip().split("\\s+").length;
  }
}
