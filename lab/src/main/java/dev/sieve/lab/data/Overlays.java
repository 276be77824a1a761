package dev.sieve.lab.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.taxonomy.Taxonomy;
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
import java.util.stream.Stream;

/**
 * Reviewed label corrections, applied on top of the raw sources at build time: the only way a human
 * changes a label. Raw files are never edited, so every correction stays visible, attributable and
 * reversible (delete the overlay file and rebuild).
 *
 * <p>Format: {@code data/overlays/<name>.jsonl}, one correction per line:
 * {@code {"host": "x.example" | "id": "davidson:123", "category": "gambling", "action": "add|remove",
 * "reason": "...", "reviewer": "..."}}. Files apply in name order; within a file, in line order; a
 * later correction of the same key and category wins. Overlay files are build inputs: their names and
 * SHA-256 go into the manifest and change the version id.
 */
public final class Overlays {

  /** One correction. {@code key} is a host (domains) or a text record id. */
  public record Correction(
      String overlay, String key, boolean isHost, String category, boolean add, String reason, String reviewer) {}

  private final List<Correction> corrections;
  private final Map<String, String> files;

  private Overlays(List<Correction> corrections, Map<String, String> files) {
    this.corrections = List.copyOf(corrections);
    this.files = files;
  }

  public static Overlays none() {
    return new Overlays(List.of(), new TreeMap<>());
  }

  /** Loads every {@code *.jsonl} under {@code dir}; bad lines are reported, not applied. */
  public static Overlays load(Path dir, BuildReport report) {
    List<Correction> out = new ArrayList<>();
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return new Overlays(out, files);
    }
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      report.fileError(dir.toString(), 0, BuildReport.Kind.UNREADABLE_FILE, e.getMessage());
      return new Overlays(out, files);
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
          String host = node.path("host").asText("");
          String id = node.path("id").asText("");
          String category = node.path("category").asText("");
          String action = node.path("action").asText("");
          if (host.isEmpty() == id.isEmpty()) {
            report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, "needs_exactly_one_of_host_or_id", line);
            continue;
          }
          if (!categories.contains(category)) {
            report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, "unknown_category", line);
            continue;
          }
          if (!action.equals("add") && !action.equals("remove")) {
            report.invalid(label, lineNo, BuildReport.Kind.INVALID_ENTRY, "action_not_add_or_remove", line);
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
                  node.path("reviewer").asText("")));
        }
      } catch (IOException e) {
        report.fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.getMessage());
      }
    }
    return new Overlays(out, files);
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
