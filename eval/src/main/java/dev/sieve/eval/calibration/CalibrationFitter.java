package dev.sieve.eval.calibration;

import dev.sieve.eval.Example;
import dev.sieve.eval.threshold.DevSplit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits one calibrator per category on the dev split and picks among identity, Platt and isotonic by
 * 5-fold cross-validated log-loss (in-sample log-loss would always crown isotonic, which memorizes
 * its fitting data).
 *
 * <p>Accepts only a {@link DevSplit}: calibration fitted on test would make the test numbers a
 * training score.
 */
public final class CalibrationFitter {

  static final int FOLDS = 5;

  /** Below this many positives or negatives only Platt (2 parameters) or identity is considered. */
  static final int MIN_FOR_ISOTONIC = 50;

  /** Below this many positives or negatives nothing is fitted. */
  static final int MIN_FOR_ANY = 5;

  private CalibrationFitter() {}

  public static CalibrationSet fit(DevSplit dev, String datasetVersion) {
    Map<String, CategoryCalibration> out = new TreeMap<>();
    for (String category : dev.scores().categories()) {
      out.put(category, fitCategory(dev.examples(), dev.scores().get(category), category));
    }
    return new CalibrationSet(CalibrationSet.FORMAT, "dev", datasetVersion, out);
  }

  static CategoryCalibration fitCategory(List<Example> examples, double[] all, String category) {
    List<Double> s = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    List<Integer> fold = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      if (!e.inScope(category) || Double.isNaN(all[i])) {
        continue;
      }
      s.add(all[i]);
      y.add(e.positive(category));
      fold.add(Math.floorMod(stableHash(e.id()), FOLDS));
    }
    double[] scores = s.stream().mapToDouble(Double::doubleValue).toArray();
    boolean[] labels = new boolean[y.size()];
    long pos = 0;
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.get(i);
      if (labels[i]) {
        pos++;
      }
    }
    long neg = labels.length - pos;
    if (pos < MIN_FOR_ANY || neg < MIN_FOR_ANY) {
      return new CategoryCalibration(
          new IdentityCalibrator(),
          Map.of(),
          "identity: too little dev data to fit (" + pos + " positives, " + neg + " negatives)",
          pos,
          neg);
    }
    int[] folds = fold.stream().mapToInt(Integer::intValue).toArray();
    Map<String, Double> cv = new LinkedHashMap<>();
    cv.put("identity", logLoss(scores, labels));
    cv.put("platt", crossValidated(scores, labels, folds, false));
    boolean isotonicAllowed = pos >= MIN_FOR_ISOTONIC && neg >= MIN_FOR_ISOTONIC;
    if (isotonicAllowed) {
      cv.put("isotonic", crossValidated(scores, labels, folds, true));
    }
    String best = "identity";
    for (Map.Entry<String, Double> e : cv.entrySet()) {
      if (e.getValue() < cv.get(best) - 1e-12) {
        best = e.getKey();
      }
    }
    Calibrator chosen =
        switch (best) {
          case "platt" -> PlattCalibrator.fit(scores, labels);
          case "isotonic" -> IsotonicCalibrator.fit(scores, labels);
          default -> new IdentityCalibrator();
        };
    String reason =
        best
            + ": lowest 5-fold dev log-loss"
            + (isotonicAllowed
                ? ""
                : " (isotonic not tried: < " + MIN_FOR_ISOTONIC + " positives or negatives)");
    return new CategoryCalibration(chosen, cv, reason, pos, neg);
  }

  private static double crossValidated(double[] s, boolean[] y, int[] folds, boolean isotonic) {
    double[] predicted = new double[s.length];
    for (int k = 0; k < FOLDS; k++) {
      int nTrain = 0;
      for (int f : folds) {
        if (f != k) {
          nTrain++;
        }
      }
      if (nTrain == s.length) {
        continue; // empty fold
      }
      double[] ts = new double[nTrain];
      boolean[] ty = new boolean[nTrain];
      int j = 0;
      for (int i = 0; i < s.length; i++) {
        if (folds[i] != k) {
          ts[j] = s[i];
          ty[j] = y[i];
          j++;
        }
      }
      Calibrator c =
          nTrain == 0
              ? new IdentityCalibrator()
              : isotonic ? IsotonicCalibrator.fit(ts, ty) : PlattCalibrator.fit(ts, ty);
      for (int i = 0; i < s.length; i++) {
        if (folds[i] == k) {
          predicted[i] = c.apply(s[i]);
        }
      }
    }
    return logLoss(predicted, y);
  }

  /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. */
  public static double logLoss(double[] p, boolean[] y) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(Math.max(p[i], 1e-15), 1 - 1e-15);
      sum -= y[i] ? Math.log(q) : Math.log(1 - q);
    }
    return sum / p.length;
  }

  /** FNV-1a over UTF-16 code units: stable across JVMs (String.hashCode is too, but say so). */
  static int stableHash(String s) {
    int h = 0x811C9DC5;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x01000193;
    }
    return h;
  }
}
