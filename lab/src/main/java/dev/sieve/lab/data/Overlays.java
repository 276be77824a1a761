package dev.sieve.lab.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.taxonomy.Taxonomy;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.core.util.Sha256;
import dev.sieve.lab.data.io.BuildReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reviewed label corrections, applied on top of the raw sources at build time: the only way a human
 * changes a label. Raw files are never edited, so every correction stays visible, attributable and
 * reversible (delete the overlay file and rebuild).
 *
 * <p>Format: {@code data/overlays/<name>.jsonl}, one correction per line: {@code {"host":
 * "x.example" | "id": "davidson:123", "category": "gambling", "action": "add|remove", "reason":
 * "...", "reviewer": "..."}}. Files apply in name order; within a file, in line order; a later
 * correction of the same key and category wins. Overlay files are build inputs: their names and
 * SHA-256 go into the manifest and change the version id.
 *
 * <p>Annotation exports (issue #14, the annotation app) use the same files with provenance: a line
 * with {@code "source": "annotation"} must say how many people labelled the item ({@code
 * "annotators"}, at least 1) and how much they agreed ({@code "agreement"}, 0..1), and may name the
 * app's item ({@code "item"}). They may also add NEW records for traffic items not in the dataset:
 * {@code {"record": "text", "item": "...", "text": "...", "categories": [...]}} (a text record of
 * source "annotation", cleaned, de-duplicated and split by the same rules as every text source) or
 * {@code {"record": "url", "item": "...", "url": "https://host/", "categories": [...]}} (labels for
 * the URL's host, the URL tier's unit; only a host's root URL, or a line saying {@code
 * "applies_to": "host"}, since a label of one page is not a label of its whole site). The exact
 * format is in docs/annotation.md, "Label overlays from annotation".
 */
public final class Overlays {

  /** The source of an overlay line that came out of the annotation app. */
  public static final String ANNOTATION = "annotation";

  /**
   * Who decided a label and how firmly: {@code source} "review" (a reviewer's decision, the
   * default) or "annotation"; for annotation, the number of annotators and their agreement (0..1);
   * {@code item} the app's item id ("" when unknown).
   */
  public record Provenance(String source, String item, int annotators, double agreement) {
    public static final Provenance REVIEW = new Provenance("review", "", 0, Double.NaN);

    public boolean annotation() {
      return source.equals(ANNOTATION);
    }
  }

  /** One correction. {@code key} is a host (domains) or a text record id. */
  public record Correction(
      String overlay,
      String key,
      boolean isHost,
      String category,
      boolean add,
      String reason,
      String reviewer,
      Provenance provenance) {}

  /** A new labelled text from annotation: becomes text record {@code annotation:<item>}. */
  public record NewText(
      String overlay, String item, String text, List<String> categories, Provenance provenance) {}

  /** Per annotation overlay: what it brought (the data card's "labels from annotation"). */
  public static final class AnnotationSummary {
    public long corrections;
    public long newTexts;
    public long urlRecords;
    public long labels;
    public long items;
    public long annotatorsSum;
    public double agreementSum;
    public double agreementMin = 1.0;
    public long lowAgreement;

    void count(Provenance p, int labelCount) {
      labels += labelCount;
      items++;
      annotatorsSum += p.annotators();
      agreementSum += p.agreement();
      agreementMin = Math.min(agreementMin, p.agreement());
      if (p.agreement() < LOW_AGREEMENT) {
        lowAgreement++;
      }
    }
  }

  /** Agreement below this is counted separately in the card: such labels deserve a second look. */
  public static final double LOW_AGREEMENT = 0.6;

  private static final Pattern ITEM = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private final List<Correction> corrections;
  private final List<NewText> newTexts;
  private final Map<String, String> files;
  private final Map<String, AnnotationSummary> annotation;

  private Overlays(
      List<Correction> corrections,
      List<NewText> newTexts,
      Map<String, String> files,
      Map<String, AnnotationSummary> annotation) {
    this.corrections = List.copyOf(corrections);
    this.newTexts = List.copyOf(newTexts);
    this.files = files;
    this.annotation = annotation;
  }

  public static Overlays none() {
    return new Overlays(List.of(), List.of(), new TreeMap<>(), new TreeMap<>());
  }

  /** Loads every {@code *.jsonl} under {@code dir}; bad lines are reported, not applied. */
  public static Overlays load(Path dir, BuildReport report) {
    List<Correction> out = new ArrayList<>();
    List<NewText> texts = new ArrayList<>();
    Map<String, String> files = new TreeMap<>();
    Map<String, AnnotationSummary> annotation = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return new Overlays(out, texts, files, annotation);
    }
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      report.fileError(dir.toString(), 0, BuildReport.Kind.UNREADABLE_FILE, e.getMessage());
      return new Overlays(out, texts, files, annotation);
    }
    List<String> categories = Taxonomy.v1().ids();
    for (Path p : paths) {
      String fileName = p.getFileName().toString();
      String name = fileName.substring(0, fileName.length() - ".jsonl".length());
      String label = "overlays/" + fileName;
      files.put(label, Sha256.ofFile(p));
      BuildReport.FileStats stats = report.file(label);
      try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
        String line;
        long lineNo = 0;
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          stats.lines++;
          JsonNode node;
          try {
            node = DatasetVersion.mapper().readTree(line);
          } catch (IOException e) {
            report.invalid(label, lineNo, BuildReport.Kind.MALFORMED_LINE, "not_json", line);
            continue;
          }
          Provenance provenance;
          try {
            provenance = provenance(node);
          } catch (IllegalArgumentException e) {
            report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, e.getMessage(), line);
            continue;
          }
          if (node.has("record")) {
            String why = newRecord(name, node, provenance, categories, out, texts, annotation);
            if (why != null) {
              report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, why, line);
              continue;
            }
            stats.accepted++;
            continue;
          }
          String host = node.path("host").asText("");
          String id = node.path("id").asText("");
          String category = node.path("category").asText("");
          String action = node.path("action").asText("");
          if (host.isEmpty() == id.isEmpty()) {
            report.invalid(
                label,
                lineNo,
                BuildReport.Kind.INVALID_ENTRY,
                "needs_exactly_one_of_host_or_id",
                line);
            continue;
          }
          if (!categories.contains(category)) {
            report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, "unknown_category", line);
            continue;
          }
          if (!action.equals("add") && !action.equals("remove")) {
            report.invalid(
                label, lineNo, BuildReport.Kind.INVALID_ENTRY, "action_not_add_or_remove", line);
            continue;
          }
          stats.accepted++;
          out.add(
              new Correction(
                  name,
                  host.isEmpty() ? id : host,
                  !host.isEmpty(),
                  category,
                  action.equals("add"),
                  node.path("reason").asText(""),
                  node.path("reviewer").asText(""),
                  provenance));
          if (provenance.annotation()) {
            AnnotationSummary sum = annotation.computeIfAbsent(name, k -> new AnnotationSummary());
            sum.corrections++;
            sum.count(provenance, 1);
          }
        }
      } catch (IOException e) {
        report.fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.getMessage());
      }
    }
    return new Overlays(out, texts, files, annotation);
  }

  /** The line's provenance; throws with the build-report reason when it is incomplete. */
  static Provenance provenance(JsonNode node) {
    String source = node.path("source").asText("review");
    if (source.equals("review")) {
      if (node.has("record")) {
        throw new IllegalArgumentException("new_record_needs_source_annotation");
      }
      return Provenance.REVIEW;
    }
    if (!source.equals(ANNOTATION)) {
      throw new IllegalArgumentException("source_not_review_or_annotation");
    }
    JsonNode annotators = node.path("annotators");
    if (!annotators.canConvertToInt() || !annotators.isIntegralNumber() || annotators.asInt() < 1) {
      throw new IllegalArgumentException("annotation_needs_annotators_at_least_1");
    }
    JsonNode agreement = node.path("agreement");
    if (!agreement.isNumber() || agreement.asDouble() < 0 || agreement.asDouble() > 1) {
      throw new IllegalArgumentException("annotation_needs_agreement_0_to_1");
    }
    String item = node.path("item").asText("");
    if (!item.isEmpty() && !ITEM.matcher(item).matches()) {
      throw new IllegalArgumentException("item_not_1_to_128_of_A-Za-z0-9._:-");
    }
    return new Provenance(ANNOTATION, item, annotators.asInt(), agreement.asDouble());
  }

  /**
   * Adds a {@code record} line's text or host labels; returns the build-report reason when invalid.
   */
  private static String newRecord(
      String overlay,
      JsonNode node,
      Provenance provenance,
      List<String> taxonomy,
      List<Correction> out,
      List<NewText> texts,
      Map<String, AnnotationSummary> annotation) {
    String kind = node.path("record").asText("");
    if (provenance.item().isEmpty()) {
      return "new_record_needs_item";
    }
    JsonNode cats = node.path("categories");
    if (!cats.isArray()) {
      return "new_record_needs_categories_array";
    }
    List<String> categories = new ArrayList<>();
    for (JsonNode c : cats) {
      if (!taxonomy.contains(c.asText())) {
        return "unknown_category";
      }
      if (!categories.contains(c.asText())) {
        categories.add(c.asText());
      }
    }
    String reason = node.path("reason").asText("");
    String reviewer = node.path("reviewer").asText("");
    AnnotationSummary sum = annotation.computeIfAbsent(overlay, k -> new AnnotationSummary());
    switch (kind) {
      case "text" -> {
        String text = node.path("text").asText("");
        if (text.isBlank()) {
          return "text_record_needs_text";
        }
        texts.add(
            new NewText(overlay, provenance.item(), text, List.copyOf(categories), provenance));
        sum.newTexts++;
        sum.count(provenance, categories.size());
        return null;
      }
      case "url" -> {
        if (categories.isEmpty()) {
          return "url_record_needs_a_category";
        }
        NormalizedUrl url;
        try {
          url = UrlNormalizer.instance().normalize(node.path("url").asText(""));
        } catch (UrlRejectedException e) {
          return "url_rejected:" + e.reason();
        }
        boolean root = (url.path().isEmpty() || url.path().equals("/")) && url.query().isEmpty();
        if (!root && !node.path("applies_to").asText("").equals("host")) {
          return "url_record_names_a_page_not_a_host";
        }
        for (String category : categories) {
          out.add(
              new Correction(
                  overlay, url.host(), true, category, true, reason, reviewer, provenance));
        }
        sum.urlRecords++;
        sum.count(provenance, categories.size());
        return null;
      }
      default -> {
        return "record_not_text_or_url";
      }
    }
  }

  /** New labelled texts from annotation, in file and line order. */
  public List<NewText> newTexts() {
    return newTexts;
  }

  /** Annotation overlays by name: what each brought, for the manifest and the data card. */
  public Map<String, AnnotationSummary> annotation() {
    return annotation;
  }

  public List<Correction> corrections() {
    return corrections;
  }

  public List<Correction> forHosts() {
    return corrections.stream().filter(Correction::isHost).toList();
  }

  public List<Correction> forTexts() {
    return corrections.stream().filter(c -> !c.isHost()).toList();
  }

  /** Overlay file name to SHA-256 (manifest input). */
  public Map<String, String> files() {
    return files;
  }
}
