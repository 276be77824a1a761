package dev.sieve.eval.policy;

/**
 * A reviewed exception to the no-regression rule for one model version, category and metric ({@code
 * gate.waivers} in release-gate.yaml).
 *
 * <p>Why: the regression check compares point estimates on a finite test split, so a retrain that
 * fixes one failure can move another metric past its tolerance by noise (within both versions'
 * confidence intervals). Loosening the tolerance for every future release would hide real
 * regressions; a waiver names exactly the version, category and metric, must say why, and turns
 * that one FAIL into a WARN that quotes the reason. Floors (minimum recall etc.) cannot be waived.
 *
 * @param model model name (models/&lt;name&gt;)
 * @param version the candidate version the waiver applies to; never a pattern
 * @param category category id
 * @param metric regression metric (recall, precision, f1, auprc, auroc, background_flag_rate)
 * @param reason why the regression is accepted (required; printed by the gate)
 */
public record RegressionWaiver(
    String model, String version, String category, String metric, String reason) {

  public RegressionWaiver {
    for (String[] field :
        new String[][] {
          {"model", model},
          {"version", version},
          {"category", category},
          {"metric", metric},
          {"reason", reason}
        }) {
      if (field[1] == null || field[1].isBlank()) {
        throw new IllegalArgumentException("a regression waiver needs '" + field[0] + "'");
      }
    }
    if (!RegressionPolicy.METRICS.contains(metric)) {
      throw new IllegalArgumentException(
          "unknown regression metric '"
              + metric
              + "' in a waiver; known: "
              + RegressionPolicy.METRICS);
    }
  }

  public boolean covers(String model, String version, String category, String metric) {
    return this.model.equals(model)
        && this.version.equals(version)
        && this.category.equals(category)
        && this.metric.equals(metric);
  }
}
