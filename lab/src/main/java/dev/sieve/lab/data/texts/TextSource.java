package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.SourceCatalog;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

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

  /** Receives one CSV row of a source file, its line, and the file's label in the build report. */
  @FunctionalInterface
  protected interface CsvRowReader {
    void read(Map<String, String> row, long line, String fileLabel);
  }

  /**
   * Reads one CSV file of this source row by row. A missing file is reported and reads nothing; a
   * malformed row is reported by file and line and skipped ({@link CsvRows}). Every CSV source goes
   * through here, so they all account for their files the same way.
   */
  protected final void forEachCsvRow(Context ctx, String name, CsvRowReader reader) {
    Optional<Path> file = file(ctx, name);
    if (file.isEmpty()) {
      return;
    }
    String fileLabel = label(ctx, file.get());
    CsvRows.forEach(
        file.get(), fileLabel, ctx.report(), (row, line) -> reader.read(row, line, fileLabel));
  }

  /** The text entries of one tar archive of this source, with the archive's label in the report. */
  protected record TarArchive(String label, SortedMap<String, String> entries) {}

  /**
   * Reads one tar archive of this source; a missing archive or one that cannot be read is reported
   * (MISSING_FILE, UNREADABLE_FILE) and gives empty, never an exception.
   */
  protected final Optional<TarArchive> tarArchive(Context ctx, String name) {
    Optional<Path> file = file(ctx, name);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String fileLabel = label(ctx, file.get());
    try {
      return Optional.of(new TarArchive(fileLabel, RawFiles.tarEntries(file.get())));
    } catch (IOException e) {
      ctx.report().fileError(fileLabel, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      return Optional.empty();
    }
  }

  protected String label(Context ctx, Path p) {
    return ctx.rawRoot().relativize(p).toString();
  }

  /** The mapping row of a source category; an unknown category is reported with file and line. */
  protected Optional<MappingRow> row(Context ctx, String category, String fileLabel, long line) {
    Optional<MappingRow> row = ctx.mapping().find(id(), category);
    if (row.isEmpty()) {
      ctx.report()
          .invalid(
              fileLabel,
              line,
              BuildReport.Kind.INVALID_ENTRY,
              "unknown_category:" + category,
              id() + "/" + category + " has no row in " + LabelMapping.FILE_NAME);
    }
    return row;
  }

  /**
   * Applies one mapping row to a draft: MAP adds labels (and their scope), NEGATIVE and
   * KEYWORD_RULES only scope (a keyword rule's labels are the source's decision per record),
   * BACKGROUND the scope "*", SOURCE_LABEL a source flag; the row's flags go into meta "flags". A
   * record may take several rows (an ordinary text that is also sex education).
   */
  protected static void apply(TextDraft d, MappingRow row) {
    switch (row.action()) {
      case MAP -> {
        d.labels.addAll(row.taxonomy());
        d.labelScope.addAll(row.taxonomy());
      }
      // The row lists what its rules may assign; the source applies the rule per record.
      case NEGATIVE, KEYWORD_RULES -> d.labelScope.addAll(row.taxonomy());
      case BACKGROUND -> d.labelScope.add(BACKGROUND_SCOPE);
      case SOURCE_LABEL -> d.flags.add("source:" + row.sourceId());
      default -> {}
    }
    d.flags.addAll(row.flags());
  }

  /** The label scope of ordinary text: complete for every category. */
  public static final String BACKGROUND_SCOPE = "*";

  /** The mapping row {@code category} of this source; a missing row is a mapping bug. */
  protected MappingRow requiredRow(Context ctx, String category) {
    return ctx.mapping()
        .find(id(), category)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    id() + "/" + category + " has no row in " + LabelMapping.FILE_NAME));
  }

  /** Sets the bookkeeping fields every source sets on a new draft. */
  protected static TextDraft located(TextDraft d, String file, long line) {
    d.order = line;
    d.file = file;
    d.line = line;
    return d;
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
