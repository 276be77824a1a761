package dev.sieve.lab.data;

import dev.sieve.core.util.Sha256;
import dev.sieve.lab.data.mapping.LabelMapping;
import dev.sieve.lab.data.mapping.MappingRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The ingestion step: copies the raw sources Sieve uses from the shared import folder into {@code
 * data/raw/<source>/} (large files gzipped), with the source's LICENSE and a generated SOURCE note
 * (origin, snapshot, license, attribution line, files with SHA-256, what was left out and why).
 *
 * <p>Run once per snapshot; afterwards a fresh clone builds every dataset version from {@code
 * data/raw} alone. Raw files are read-only inputs: the importer never edits content (gzip only
 * changes the encoding; the SOURCE note records the SHA-256 of the original bytes).
 */
public final class RawImporter {

  private final Path sharedRoot;
  private final Path rawRoot;
  private final LabelMapping mapping;
  private final PrintStream log;

  public RawImporter(Path sharedRoot, Path rawRoot, LabelMapping mapping, PrintStream log) {
    this.sharedRoot = sharedRoot;
    this.rawRoot = rawRoot;
    this.mapping = mapping;
    this.log = log;
  }

  /** Imports every catalog source; returns the number of files written. */
  public int importAll() throws IOException {
    int written = 0;
    for (SourceCatalog.Source source : SourceCatalog.SOURCES) {
      written += importSource(source);
    }
    return written;
  }

  private int importSource(SourceCatalog.Source source) throws IOException {
    Path from = sharedRoot.resolve(source.sharedDir());
    Path to = rawRoot.resolve(source.rawDir());
    if (!Files.isDirectory(from)) {
      throw new IOException("source folder missing: " + from);
    }
    Files.createDirectories(to);
    List<SourceCatalog.FileSpec> files = new ArrayList<>(source.files());
    files.addAll(mappedListFiles(source.id()));
    List<String> lines = new ArrayList<>();
    for (SourceCatalog.FileSpec spec : files) {
      Path src = from.resolve(spec.from());
      if (!Files.isRegularFile(src)) {
        throw new IOException("expected file missing: " + src);
      }
      String target = spec.gzip() ? spec.to() + ".gz" : spec.to();
      Path dst = to.resolve(target);
      Files.createDirectories(dst.getParent());
      copy(src, dst, spec.gzip());
      long lineCount = countLines(src);
      lines.add(
          String.format(
              "  %-58s <- %s (sha256 %s, %d lines%s)",
              target,
              spec.from(),
              Sha256.ofFile(src),
              lineCount,
              spec.gzip() ? ", gzipped here" : ""));
    }
    String upstreamNote = readUpstreamNote(from);
    writeSourceNote(source, to, lines, upstreamNote);
    if (source.id().equals("cssrs")) {
      Files.writeString(
          to.resolve("LICENSE"),
          "Creative Commons Attribution 4.0 International (CC BY 4.0)\n"
              + "https://creativecommons.org/licenses/by/4.0/legalcode\n\n"
              + "Dataset: Gaur et al. 2019, Reddit C-SSRS (500 users), Zenodo record 2667859,\n"
              + "https://zenodo.org/record/2667859 - license as stated on the Zenodo record.\n",
          StandardCharsets.UTF_8);
    }
    if (source.id().equals("ut1")) {
      Files.writeString(
          to.resolve("LICENSE"),
          "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)\n"
              + "https://creativecommons.org/licenses/by-sa/4.0/legalcode (full text: LICENSE.pdf)\n\n"
              + "Derived datasets that contain UT1 entries stay CC BY-SA 4.0.\n",
          StandardCharsets.UTF_8);
    }
    if (source.id().equals("ordinary/shakespeare")) {
      Files.writeString(
          to.resolve("LICENSE"),
          "Public domain. Upstream has no LICENSE file; its README (README.upstream.md) says the text was\n"
              + "scraped from shakespeare.mit.edu, which places its HTML versions in the public domain, \"and the\n"
              + "versions here follow suit\".\n",
          StandardCharsets.UTF_8);
    }
    if (source.id().equals("background/opendns")) {
      Files.writeString(
          to.resolve("LICENSE"),
          "Public domain. Upstream has no LICENSE file; its README (README.upstream.md) says:\n"
              + "\"Both lists are in public domain, and are updated weekly.\"\n",
          StandardCharsets.UTF_8);
    }
    log.printf("imported %-28s %d files -> %s%n", source.id(), files.size(), to);
    return files.size();
  }

  /** List sources import exactly the categories the mapping uses (map, source_label, reference). */
  private List<SourceCatalog.FileSpec> mappedListFiles(String sourceId) {
    List<SourceCatalog.FileSpec> out = new ArrayList<>();
    for (MappingRow row : mapping.rowsOf(sourceId)) {
      if (!row.action().ingested()) {
        continue;
      }
      switch (sourceId) {
        case "ut1" ->
            out.add(
                new SourceCatalog.FileSpec(
                    "blacklists/" + row.category() + "/domains",
                    row.category() + "/domains",
                    true));
        case "shadowwhisperer", "blocklistproject" ->
            out.add(
                new SourceCatalog.FileSpec(row.category() + ".txt", row.category() + ".txt", true));
        default -> {}
      }
    }
    return out;
  }

  private static String readUpstreamNote(Path from) throws IOException {
    for (String name : List.of("SOURCE", "SOURCE.txt", "SOURCE.md")) {
      Path p = from.resolve(name);
      if (Files.isRegularFile(p)) {
        return Files.readString(p, StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void writeSourceNote(
      SourceCatalog.Source source, Path to, List<String> files, String upstreamNote)
      throws IOException {
    Path snapshotFile = to.resolve("SNAPSHOT_COMMIT");
    String snapshot =
        Files.isRegularFile(snapshotFile)
            ? Files.readString(snapshotFile, StandardCharsets.UTF_8).strip()
            : "see upstream note / file hashes below";
    StringBuilder sb = new StringBuilder();
    sb.append("Source id:    ").append(source.id()).append('\n');
    sb.append("Origin:       ").append(source.origin()).append('\n');
    sb.append("Snapshot:     ").append(snapshot).append('\n');
    sb.append("License:      ").append(source.license()).append('\n');
    sb.append("Attribution:  ").append(source.attribution()).append('\n');
    if (source.shareAlike()) {
      sb.append(
          "Share-alike:  derived datasets containing this data stay under the same license.\n");
    }
    sb.append(
        "Imported by:  ./sieve data import (dev.sieve.lab.data.RawImporter); raw files are read-only inputs.\n");
    sb.append("Files (sha256 of the original bytes):\n");
    for (String line : files) {
      sb.append(line).append('\n');
    }
    sb.append("Left out:     ").append(source.leftOut()).append('\n');
    if (!upstreamNote.isBlank()) {
      sb.append("\nUpstream note (verbatim from the shared folder):\n");
      for (String line : upstreamNote.strip().split("\n")) {
        sb.append("  ").append(line).append('\n');
      }
    }
    Files.writeString(to.resolve("SOURCE"), sb.toString(), StandardCharsets.UTF_8);
  }

  private static void copy(Path src, Path dst, boolean gzip) throws IOException {
    if (!gzip) {
      Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (InputStream in = Files.newInputStream(src);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(dst), 1 << 16)) {
      in.transferTo(out);
    }
  }

  private static long countLines(Path file) throws IOException {
    long n = 0;
    byte[] buf = new byte[1 << 16];
    boolean any = false;
    byte last = '\n';
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        any = true;
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            n++;
          }
        }
        last = buf[r - 1];
      }
    }
    return any && last != '\n' ? n + 1 : n;
  }
}
