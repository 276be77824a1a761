package dev.sieve.content.train;

import ai.djl.Device;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxSentenceEncoder;
import dev.sieve.content.extract.Chunk;
import dev.sieve.content.extract.ExtractionLimits;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.extract.TextChunker;
import dev.sieve.content.model.ContentModel;
import dev.sieve.content.model.HeadConfig;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.core.util.Sha256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How chunk scores become a page score, measured. A page is cut into header, body and link chunks
 * (title and headings; the text; anchor and image-alt texts from the whole page, menus included).
 * Training texts are body-only, so the head has never seen a chunk of menu anchors; a real page
 * always has them. This study scores, for every real page of the dataset (all ordinary) and for the
 * same pages with one harmful test text injected as the first paragraph of their body, four rules:
 *
 * <ul>
 *   <li>{@code all}: pooled over every chunk (the original rule);
 *   <li>{@code header+body}: pooled over header and body chunks (link chunks left out);
 *   <li>{@code body}: pooled over body chunks (header when the body is empty);
 *   <li>{@code max chunk}: the highest single chunk score among header and body chunks.
 * </ul>
 *
 * and prints, per rule, how many ordinary pages are flagged per category and how many injected
 * pages are caught, at the model's served thresholds. Usage: {@code PagePoolingStudy MODEL_DIR
 * DATASET_DIR [injected per category]}.
 */
public final class PagePoolingStudy {

  private PagePoolingStudy() {}

  record Rule(String name, Predicate<Chunk> keep, boolean maxChunk) {}

  static final List<Rule> RULES =
      List.of(
          new Rule("all", c -> true, false),
          new Rule("header+body", c -> !c.section().equals("links"), false),
          new Rule("body", c -> c.section().equals("body"), false),
          new Rule("max chunk", c -> !c.section().equals("links"), true));

  public static void main(String[] args) throws Exception {
    Path modelDir = Path.of(args[0]);
    DatasetVersion dataset = DatasetVersion.open(Path.of(args[1]));
    int perCategory = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    HeadConfig config = HeadConfig.read(modelDir.resolve(HeadConfig.FILE));
    EncoderVariant variant = EncoderVariant.byEncoderId(config.encoder()).orElseThrow();
    PageExtractor extractor =
        new PageExtractor(ExtractionLimits.defaults().withWordsPerChunk(config.wordsPerChunk()));
    TextChunker chunker = new TextChunker(extractor.limits());
    List<PageRecord> pages = dataset.pages();
    List<String> harmful = List.of("adult", "self_harm", "violence");
    Map<String, List<String>> positives = new LinkedHashMap<>();
    for (String c : harmful) {
      List<TextRecord> texts = new ArrayList<>();
      dataset.forEachText(
          r -> {
            if (r.split().equals("test")
                && r.labels().contains(c)
                && r.text().split("\\s+").length <= 150) {
              texts.add(r);
            }
          });
      texts.sort(Comparator.comparing(r -> Sha256.of(r.id())));
      positives.put(c, texts.stream().limit(perCategory).map(TextRecord::text).toList());
    }
    try (OnnxSentenceEncoder encoder =
            OnnxSentenceEncoder.load(OnnxSentenceEncoder.Options.cpuDefaults(variant));
        ContentModel model = ContentModel.load(modelDir, encoder, Device.cpu())) {
      List<String> outputs = config.categoryIds();
      List<List<Chunk>> ordinary =
          pages.stream().map(p -> chunker.chunk(extractor.extractHtml(p.html()))).toList();
      Map<String, List<List<Chunk>>> injected = new LinkedHashMap<>();
      for (String c : harmful) {
        List<List<Chunk>> list = new ArrayList<>();
        List<String> texts = positives.get(c);
        for (int i = 0; i < texts.size(); i++) {
          String html = inject(pages.get(i % pages.size()).html(), texts.get(i));
          list.add(chunker.chunk(extractor.extractHtml(html)));
        }
        injected.put(c, list);
      }
      System.out.printf(
          "model %s, %d real pages, %d injected pages per category%n",
          modelDir.getFileName(), pages.size(), perCategory);
      for (Rule rule : RULES) {
        double[][] ord = scores(model, ordinary, rule);
        StringBuilder line =
            new StringBuilder(String.format("%-12s ordinary pages flagged:", rule.name()));
        for (int k = 0; k < outputs.size(); k++) {
          int flagged = 0;
          for (double[] s : ord) {
            flagged += s != null && s[k] >= model.threshold(k) ? 1 : 0;
          }
          if (flagged > 0) {
            line.append(' ').append(outputs.get(k)).append('=').append(flagged);
          }
        }
        line.append(" | injected caught:");
        for (String c : harmful) {
          int k = outputs.indexOf(c);
          double[][] inj = scores(model, injected.get(c), rule);
          int caught = 0;
          for (double[] s : inj) {
            caught += s != null && s[k] >= model.threshold(k) ? 1 : 0;
          }
          line.append(' ').append(c).append('=').append(caught).append('/').append(inj.length);
        }
        System.out.println(line);
      }
    }
  }

  /** The harmful text as the first paragraph of the page's body. */
  static String inject(String html, String text) {
    String p = "<p>" + text.replace("<", "&lt;").replace(">", "&gt;") + "</p>";
    int body = html.toLowerCase(Locale.ROOT).indexOf("<body");
    if (body < 0) {
      return p + html;
    }
    int end = html.indexOf('>', body);
    return html.substring(0, end + 1) + p + html.substring(end + 1);
  }

  /** Calibrated page scores under one rule (null for a page left without chunks). */
  static double[][] scores(ContentModel model, List<List<Chunk>> pages, Rule rule) {
    List<List<Chunk>> kept = new ArrayList<>();
    for (List<Chunk> page : pages) {
      List<Chunk> k = page.stream().filter(rule.keep()).toList();
      if (k.isEmpty() && rule.name().equals("body")) {
        k = page.stream().filter(c -> c.section().equals("header")).toList();
      }
      kept.add(k);
    }
    List<ContentModel.PageScores> scored = model.score(kept).pages();
    double[][] out = new double[pages.size()][];
    for (int i = 0; i < out.length; i++) {
      ContentModel.PageScores s = scored.get(i);
      if (s == null) {
        continue;
      }
      if (!rule.maxChunk()) {
        out[i] = s.calibrated();
      } else {
        double[] max = new double[s.calibrated().length];
        for (double[] chunk : s.chunkCalibrated()) {
          for (int k = 0; k < max.length; k++) {
            max[k] = Math.max(max[k], chunk[k]);
          }
        }
        out[i] = max;
      }
    }
    return out;
  }
}
