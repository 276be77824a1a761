package dev.sieve.eval.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calibrator chosen for one category and why.
 *
 * @param calibrator the fitted map (refitted on the whole dev split)
 * @param cvLogLoss 5-fold cross-validated dev log-loss of each candidate ("identity", "platt",
 *     "isotonic"); the lowest wins. Empty when there was too little data to compare.
 * @param reason human-readable reason for the choice
 * @param devPositives positives in the dev split (in scope)
 * @param devNegatives in-scope negatives in the dev split
 */
public record CategoryCalibration(
    @JsonProperty("calibrator") Calibrator calibrator,
    @JsonProperty("cv_log_loss") Map<String, Double> cvLogLoss,
    @JsonProperty("reason") String reason,
    @JsonProperty("dev_positives") long devPositives,
    @JsonProperty("dev_negatives") long devNegatives) {

  public CategoryCalibration {
    cvLogLoss = cvLogLoss == null ? Map.of() : new TreeMap<>(cvLogLoss);
  }
}
