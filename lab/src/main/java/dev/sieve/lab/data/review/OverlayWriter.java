package dev.sieve.lab.data.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.lab.data.io.JsonlGzWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Turns a reviewed queue (rows whose "decision" is add / remove / keep) into an overlay file {@code
 * data/overlays/<name>.jsonl}. Only add and remove become corrections; "keep" and undecided rows
 * are counted. Existing overlays are never overwritten: a correction of a correction is a new
 * overlay file, so the history stays visible.
 */
public final class OverlayWriter {

  /** Counts of what was written. */
  public record Result(int corrections, int kept, int undecided, int invalid) {}

  private OverlayWriter() {}

  public static Result write(Path review, Path overlayFile) throws IOException {
    if (Files.exists(overlayFile)) {
      throw new IOException(
          overlayFile + " exists; choose a new overlay name (overlays are append-only history)");
    }
    Files.createDirectories(overlayFile.toAbsolutePath().getParent());
    int corrections = 0;
    int kept = 0;
    int undecided = 0;
    int invalid = 0;
    try (BufferedReader r = Files.newBufferedReader(review, StandardCharsets.UTF_8);
        BufferedWriter w =
            Files.newBufferedWriter(
                overlayFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = JsonlGzWriter.mapper().readTree(line);
        } catch (IOException e) {
          invalid++;
          continue;
        }
        String decision = n.path("decision").asText("").strip();
        switch (decision) {
          case "add", "remove" -> {
            ObjectNode o = JsonlGzWriter.mapper().createObjectNode();
            if (n.hasNonNull("host")) {
              o.put("host", n.get("host").asText());
            } else if (n.hasNonNull("id")) {
              o.put("id", n.get("id").asText());
            } else {
              invalid++;
              continue;
            }
            o.put("category", n.path("category").asText());
            o.put("action", decision);
            o.put("reason", n.path("reason").asText(""));
            o.put("reviewer", n.path("reviewer").asText(""));
            o.put("from_dataset_version", n.path("dataset_version").asText(""));
            w.write(JsonlGzWriter.toJson(o));
            w.write('\n');
            corrections++;
          }
          case "keep" -> kept++;
          case "" -> undecided++;
          default -> invalid++;
        }
      }
    }
    return new Result(corrections, kept, undecided, invalid);
  }
}
