package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.SourceCatalog;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One labelled text source: reads its raw files into drafts with labels, scope and provenance. Each
 * implementation knows one file format; the label decisions all come from the mapping table.
 */
public abstract class TextSource {

  /** What a source needs to read its files. */
  public record Context(Path rawRoot, LabelMapping mapping, BuildReport report, TextStats stats) {}

  /** Source id (mapping table "source" column, record "source" field). */
  public abstract String id();

  /** Reads the source; problems go to the report, never an exception for bad content. */
  public abstract List<TextDraft> read(Context ctx);

  /** The directory of this source under data/raw. */
  protected Path dir(Context ctx) {
    return ctx.rawRoot().resolve(SourceCatalog.find(id()).orElseThrow().rawDir());
  }

  /** The raw file (plain or .gz); reports a missing file and returns empty. */
  protected Optional<Path> file(Context ctx, String name) {
    Path p = RawFiles.resolve(dir(ctx), name);
    if (!Files.isRegularFile(p)) {
      ctx.report().fileError(label(ctx, p), 0, BuildReport.Kind.MISSING_FILE, "raw file missing");
      return Optional.empty();
    }
    return Optional.of(p);
  }

  protected String label(Context ctx, Path p) {
    return ctx.rawRoot().relativize(p).toString();
  }

  /** The mapping row of a source category; an unknown category is reported with file and line. */
  protected Optional<MappingRow> row(Context ctx, String category, String fileLabel, long line) {
    Optional<MappingRow> row = ctx.mapping().find(id(), category);
    if (row.isEmpty()) {
      ctx.report()
          .invalid(fileLabel, line, BuildReport.Kind.INVALID_ENTRY, "unknown_category:" + category,
              id() + "/" + category + " has no row in " + LabelMapping.FILE_NAME);
    }
    return row;
  }

  /**
   * Applies one mapping row to a draft: MAP adds labels, NEGATIVE only scope, SOURCE_LABEL a
   * source flag; the row's flags go into meta "flags".
   */
  protected static void apply(TextDraft d, MappingRow row) {
    switch (row.action()) {
      case MAP -> d.labels.addAll(row.taxonomy());
      case SOURCE_LABEL -> d.flags.add("source:" + row.sourceId());
      default -> {}
    }
    d.flags.addAll(row.flags());
  }

  /** Counts a record excluded on purpose, in the source's totals and its file's line accounting. */
  protected void exclude(Context ctx, String fileLabel, String reason) {
    ctx.stats().add(ctx.stats().excluded, id() + ":" + reason, 1);
    ctx.report().file(fileLabel).excluded++;
  }

  protected static String nz(String s) {
    return s == null ? "" : s;
  }
}
