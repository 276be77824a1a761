package dev.sieve.lab.data.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.data.PageRecord;
import dev.sieve.lab.data.SourceCatalog;
import dev.sieve.lab.data.Splitter;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Builds {@code pages.jsonl.gz}: the real web pages of the Readability test fixtures, each with its
 * raw HTML and the reference article text, for extraction tests and the false-flag rate on pages.
 *
 * <p>Pages are evaluation-only (their text belongs to the publishers): they never enter {@code
 * texts.jsonl.gz}, and their split is dev or test only — {@value #DEV_PERCENT}% of groups (the page
 * directory) by the same hash as every other split, so a threshold or pooling rule may be chosen on
 * the dev half and reported once on the test half.
 */
public final class PagesBuilder {

  public static final String SOURCE = "pages/readability";
  public static final String ARCHIVE = "readability_real_pages_en.tar.gz";
  static final int DEV_PERCENT = 50;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path rawRoot;
  private final LabelMapping mapping;
  private final Splitter splitter;
  private final BuildReport report;

  public PagesBuilder(Path rawRoot, LabelMapping mapping, Splitter splitter, BuildReport report) {
    this.rawRoot = rawRoot;
    this.mapping = mapping;
    this.splitter = splitter;
    this.report = report;
  }

  public List<PageRecord> build() {
    List<PageRecord> out = new ArrayList<>();
    Path dir = rawRoot.resolve(SourceCatalog.find(SOURCE).orElseThrow().rawDir());
    Path archive = dir.resolve(ARCHIVE);
    String label = rawRoot.relativize(archive).toString();
    if (!Files.isRegularFile(archive)) {
      report.fileError(label, 0, BuildReport.Kind.MISSING_FILE, "raw file missing");
      return out;
    }
    MappingRow row = mapping.find(SOURCE, "page").orElse(null);
    if (row == null || row.action() != MappingRow.Action.BACKGROUND) {
      report.fileError(
          label,
          0,
          BuildReport.Kind.INVALID_ENTRY,
          SOURCE + "/page must be a background row in " + LabelMapping.FILE_NAME);
      return out;
    }
    Map<String, String> entries;
    try {
      entries = RawFiles.tarEntries(archive);
    } catch (IOException e) {
      report.fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      return out;
    }
    TreeSet<String> pages = new TreeSet<>();
    entries
        .keySet()
        .forEach(
            name -> {
              if (name.endsWith("/source.html")) {
                pages.add(name.substring(0, name.length() - "/source.html".length()));
              }
            });
    long line = 0;
    for (String page : pages) {
      line++;
      report.file(label).lines++;
      String html = entries.get(page + "/source.html");
      String expected = entries.getOrDefault(page + "/expected.html", "");
      JsonNode meta;
      try {
        meta = JSON.readTree(entries.getOrDefault(page + "/expected-metadata.json", "{}"));
      } catch (IOException e) {
        report.invalid(label, line, BuildReport.Kind.MALFORMED_LINE, "metadata_not_json", page);
        continue;
      }
      if (html == null || html.isBlank()) {
        report.invalid(label, line, BuildReport.Kind.INVALID_ENTRY, "empty_page", page);
        continue;
      }
      String group = "readability:" + page;
      String split = splitter.bucket(group) < DEV_PERCENT ? "dev" : "test";
      Map<String, String> m = new TreeMap<>();
      m.put("dir", page);
      m.put("html_bytes", String.valueOf(html.getBytes(StandardCharsets.UTF_8).length));
      m.put("lang", meta.path("lang").asText(""));
      m.put("flags", String.join(",", row.flags()));
      m.values().removeIf(String::isEmpty);
      out.add(
          new PageRecord(
              SOURCE + ":" + page,
              html,
              articleText(expected),
              meta.path("title").asText(""),
              meta.path("siteName").asText(""),
              List.of(),
              List.of("*"),
              SOURCE,
              "page",
              group,
              split,
              m));
      report.file(label).accepted++;
    }
    out.sort(Comparator.comparing(PageRecord::id));
    return out;
  }

  /**
   * The reference article as plain text, one line per block element (paragraphs, headings, items).
   */
  static String articleText(String expectedHtml) {
    if (expectedHtml.isBlank()) {
      return "";
    }
    Document doc = Jsoup.parse(expectedHtml);
    StringBuilder sb = new StringBuilder();
    for (Element e : doc.select("p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td")) {
      // A container whose blocks are listed themselves. children().select(), not select(): an
      // element's own select() matches the element itself, which would drop every list item.
      if (e.tagName().matches("li|blockquote|td")
          && !e.children().select("p, li, blockquote").isEmpty()) {
        continue;
      }
      String text = e.text().strip();
      if (!text.isEmpty()) {
        sb.append(text).append('\n');
      }
    }
    return sb.toString().strip();
  }
}
