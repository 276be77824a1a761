package dev.sieve.router.feedback;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sieve.proto.v1.FeedbackReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the annotation app could not take yet, one {@link FeedbackReport} per line in protobuf
 * JSON form (a person can read and grep it), bounded in bytes.
 *
 * <p>Why a file and not memory: a report is a school's word that a verdict was wrong; it must
 * survive a router restart while the app is down. Appends are flushed to the file system before the
 * caller is told the report was taken. A spool that is full or cannot be written makes the report
 * fail with UNAVAILABLE (the caller retries; report_id keeps it counted once): reports are never
 * dropped silently. All methods are synchronized: appends and re-sends never interleave.
 */
public final class ReportSpool {

  private static final Logger log = LoggerFactory.getLogger(ReportSpool.class);
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  /** The spool cannot take the report (full or not writable). */
  public static final class SpoolException extends Exception {
    SpoolException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What a re-send does with one spooled report. */
  @FunctionalInterface
  public interface Sender {
    /** True when the app took the report; false (or an exception) stops this re-send round. */
    boolean send(FeedbackReport report);
  }

  private final Path file;
  private final long maxBytes;

  /** Reports in the file, kept so the gauge never reads the file. */
  private int count;

  /**
   * Opens (does not create) the spool; reports left by a previous run are counted and re-sent
   * later.
   */
  public ReportSpool(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
    try {
      this.count = read().size();
    } catch (IOException e) {
      log.error("feedback spool {} cannot be read: {}", file, e.getMessage());
    }
  }

  public Path file() {
    return file;
  }

  /** Appends {@code report}; throws when the spool is full or cannot be written. */
  public synchronized void append(FeedbackReport report) throws SpoolException {
    byte[] line;
    try {
      line = (PRINTER.print(report) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new SpoolException("report cannot be written as JSON: " + e.getMessage(), e);
    }
    try {
      long size = Files.exists(file) ? Files.size(file) : 0;
      if (size + line.length > maxBytes) {
        throw new SpoolException(
            "feedback spool " + file + " is full (" + size + " of " + maxBytes + " bytes)", null);
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(
          file,
          line,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.DSYNC);
      count++;
    } catch (IOException e) {
      throw new SpoolException(
          "feedback spool " + file + " cannot be written: " + e.getMessage(), e);
    }
  }

  /** The spooled reports, oldest first; a line that does not parse is logged and skipped. */
  public synchronized List<FeedbackReport> read() throws IOException {
    List<FeedbackReport> reports = new ArrayList<>();
    if (!Files.exists(file)) {
      return reports;
    }
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      FeedbackReport.Builder report = FeedbackReport.newBuilder();
      try {
        PARSER.merge(line, report);
        reports.add(report.build());
      } catch (InvalidProtocolBufferException e) {
        log.error(
            "feedback spool {} line {} is not a report, left out: {}",
            file,
            number,
            e.getMessage());
      }
    }
    return reports;
  }

  /** Number of spooled reports (the gauge). */
  public synchronized int size() {
    return count;
  }

  /**
   * Sends spooled reports oldest first until one is not taken, then rewrites the spool with what is
   * left (atomically: a crash leaves either the old or the new spool, so a report may be sent
   * twice, which report_id makes harmless, but never lost).
   *
   * @return how many reports were sent
   */
  public synchronized int resend(Sender sender) throws IOException {
    List<FeedbackReport> reports = read();
    int sent = 0;
    for (FeedbackReport report : reports) {
      boolean ok;
      try {
        ok = sender.send(report);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (!ok) {
        break;
      }
      sent++;
    }
    if (sent == 0) {
      return 0;
    }
    StringBuilder rest = new StringBuilder();
    for (FeedbackReport report : reports.subList(sent, reports.size())) {
      rest.append(PRINTER.print(report)).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, rest, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    count = reports.size() - sent;
    return sent;
  }
}
