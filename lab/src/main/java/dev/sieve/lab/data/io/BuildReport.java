package dev.sieve.lab.data.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that went wrong or was set aside while reading raw inputs, by file and line: the build
 * never drops an entry silently. Counts are exact; examples are capped per file and kind so the
 * report stays small on a noisy list.
 *
 * <p>Two budgets decide whether the build fails: the share of invalid lines per input file, and the
 * number of file-level errors (unreadable file, unknown source category). A failed budget names the
 * file and the measured value.
 */
public final class BuildReport {

  /** Kinds of issue; line-level kinds count against the per-file invalid budget. */
  public enum Kind {
    INVALID_ENTRY(true),
    MALFORMED_LINE(true),
    UNKNOWN_CATEGORY(false),
    UNREADABLE_FILE(false),
    MISSING_FILE(false);

    private final boolean lineLevel;

    Kind(boolean lineLevel) {
      this.lineLevel = lineLevel;
    }

    public boolean lineLevel() {
      return lineLevel;
    }
  }

  /** One reported problem. */
  public record Issue(String file, long line, Kind kind, String reason, String sample) {}

  /** Line accounting of one input file. */
  public static final class FileStats {
    public long lines;
    public long accepted;
    public long duplicates;

    /** Entries dropped on purpose by a documented rule (e.g. child sexual exploitation prompts). */
    public long excluded;

    public long invalid;
    public final Map<String, Long> invalidByReason = new TreeMap<>();
  }

  private static final int EXAMPLES_PER_FILE_AND_REASON = 5;

  private final Map<String, FileStats> files = new TreeMap<>();
  private final List<Issue> examples = new ArrayList<>();
  private final List<Issue> fileErrors = new ArrayList<>();
  private final Map<String, Integer> examplesSeen = new TreeMap<>();

  public synchronized FileStats file(String file) {
    return files.computeIfAbsent(file, f -> new FileStats());
  }

  /** Reports an invalid or malformed line (counted; an example kept). */
  public synchronized void invalid(
      String file, long line, Kind kind, String reason, String sample) {
    FileStats stats = file(file);
    stats.invalid++;
    stats.invalidByReason.merge(reason, 1L, Long::sum);
    String key = file + "\u0000" + reason;
    int seen = examplesSeen.merge(key, 1, Integer::sum);
    if (seen <= EXAMPLES_PER_FILE_AND_REASON) {
      examples.add(new Issue(file, line, kind, reason, abbreviate(sample)));
    }
  }

  /** Reports a file-level problem (unreadable file, unknown category, missing file). */
  public synchronized void fileError(String file, long line, Kind kind, String reason) {
    fileErrors.add(new Issue(file, line, kind, reason, ""));
  }

  public Map<String, FileStats> files() {
    return files;
  }

  /** Examples sorted by file and line (the build reads files on two threads). */
  public synchronized List<Issue> examples() {
    List<Issue> sorted = new ArrayList<>(examples);
    sorted.sort(
        Comparator.comparing(Issue::file)
            .thenComparingLong(Issue::line)
            .thenComparing(Issue::reason));
    return sorted;
  }

  public synchronized List<Issue> fileErrors() {
    List<Issue> sorted = new ArrayList<>(fileErrors);
    sorted.sort(Comparator.comparing(Issue::file).thenComparingLong(Issue::line));
    return sorted;
  }

  public long totalInvalid() {
    return files.values().stream().mapToLong(f -> f.invalid).sum();
  }

  /**
   * The budget violations, one message each (empty when the build may proceed).
   *
   * @param maxInvalidFraction largest tolerated share of invalid lines in one input file
   * @param maxFileErrors largest tolerated number of file-level errors
   */
  public List<String> budgetViolations(double maxInvalidFraction, int maxFileErrors) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, FileStats> e : files.entrySet()) {
      FileStats s = e.getValue();
      if (s.lines > 0) {
        double fraction = (double) s.invalid / s.lines;
        if (fraction > maxInvalidFraction) {
          out.add(
              String.format(
                  Locale.ROOT,
                  "%s: %d of %d lines invalid (%.2f%%) exceeds the error budget of %.2f%% per file; reasons %s",
                  e.getKey(),
                  s.invalid,
                  s.lines,
                  100 * fraction,
                  100 * maxInvalidFraction,
                  s.invalidByReason));
        }
      }
    }
    List<Issue> fileErrors = fileErrors();
    if (fileErrors.size() > maxFileErrors) {
      StringBuilder sb = new StringBuilder();
      sb.append(fileErrors.size())
          .append(" file-level error(s) exceed the budget of ")
          .append(maxFileErrors)
          .append(':');
      for (Issue issue : fileErrors) {
        sb.append("\n  ").append(issue.file());
        if (issue.line() > 0) {
          sb.append(':').append(issue.line());
        }
        sb.append(' ').append(issue.kind()).append(": ").append(issue.reason());
      }
      out.add(sb.toString());
    }
    return out;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.replaceAll("\\p{Cntrl}", " ");
    return clean.length() <= 120 ? clean : clean.substring(0, 120) + "...";
  }
}
