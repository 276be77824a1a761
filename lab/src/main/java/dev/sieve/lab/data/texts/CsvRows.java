package dev.sieve.lab.data.texts;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.io.RawFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a CSV file with a header row as maps, reporting a malformed row by file and line instead of
 * failing the whole file (the parser resynchronises at the next line where it can).
 */
final class CsvRows {

  /** Receives one row and the line it started on. */
  interface RowSink {
    void accept(Map<String, String> row, long line);
  }

  private static final CsvMapper MAPPER = new CsvMapper();

  private CsvRows() {}

  /** Returns false when the file could not be read at all (already reported). */
  static boolean forEach(Path file, String label, BuildReport report, RowSink sink) {
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (Reader reader = RawFiles.reader(file);
        MappingIterator<Map<String, String>> it =
            MAPPER
                .readerFor(Map.class)
                .with(schema)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(reader)) {
      long lastFailure = -1;
      while (true) {
        long line = it.getCurrentLocation() == null ? 0 : it.getCurrentLocation().getLineNr();
        try {
          if (!it.hasNextValue()) {
            break;
          }
          line = it.getCurrentLocation().getLineNr();
          Map<String, String> row = new LinkedHashMap<>(it.nextValue());
          report.file(label).lines++;
          sink.accept(row, line);
        } catch (RuntimeException e) {
          report.file(label).lines++;
          report.invalid(
              label, line, BuildReport.Kind.MALFORMED_LINE, "malformed_csv_row", e.getMessage());
          if (line == lastFailure) {
            // The parser cannot move past this point: the rest of the file is unreadable.
            report.fileError(
                label, line, BuildReport.Kind.UNREADABLE_FILE, "CSV parser cannot resynchronise");
            break;
          }
          lastFailure = line;
        }
      }
      return true;
    } catch (IOException e) {
      report.fileError(label, 0, BuildReport.Kind.UNREADABLE_FILE, e.toString());
      return false;
    }
  }
}
