package dev.sieve.eval.gate;

import java.nio.file.Path;
import java.util.List;

/**
 * The gate's verdict: every check it made, in order, each naming what it measured.
 *
 * @param modelDir the model version directory checked
 * @param findings checks in order
 */
public record GateReport(Path modelDir, List<Finding> findings) {

  /** Severity of one finding; only FAIL blocks a release. */
  public enum Level {
    PASS,
    INFO,
    WARN,
    FAIL
  }

  /** One check and its outcome, e.g. "FAIL adult recall 0.812 < floor 0.850 (test split)". */
  public record Finding(Level level, String message) {
    @Override
    public String toString() {
      return level + " " + message;
    }
  }

  public boolean passed() {
    return findings.stream().noneMatch(f -> f.level() == Level.FAIL);
  }

  public List<Finding> failures() {
    return findings.stream().filter(f -> f.level() == Level.FAIL).toList();
  }

  /** All findings, one per line, then the verdict. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    findings.forEach(f -> sb.append(f).append('\n'));
    long fails = failures().size();
    long warns = findings.stream().filter(f -> f.level() == Level.WARN).count();
    sb.append("RELEASE GATE ")
        .append(passed() ? "PASSED" : "FAILED")
        .append(" for ")
        .append(modelDir)
        .append(" (")
        .append(fails)
        .append(" failure")
        .append(fails == 1 ? "" : "s")
        .append(", ")
        .append(warns)
        .append(" warning")
        .append(warns == 1 ? "" : "s")
        .append(")\n");
    return sb.toString();
  }
}
