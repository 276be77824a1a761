package dev.sieve.eval.threshold;

import dev.sieve.core.data.Split;
import dev.sieve.eval.Example;
import dev.sieve.eval.Scores;
import java.util.List;

/**
 * Examples and scores proven to come from the dev split: the only thing threshold selection and
 * calibration fitting accept.
 *
 * <p>A threshold tuned on test turns the test numbers into training numbers and the card into a
 * claim nobody measured. Making the dev split a type that validates every example (rather than a
 * convention) makes that mistake a thrown exception instead of a silently optimistic card.
 */
public final class DevSplit {

  private final List<Example> examples;
  private final Scores scores;

  private DevSplit(List<Example> examples, Scores scores) {
    this.examples = examples;
    this.scores = scores;
  }

  /**
   * @throws IllegalArgumentException naming the first example that is not from the dev split, or
   *     when scores and examples are not aligned
   */
  public static DevSplit of(List<Example> examples, Scores scores) {
    if (scores.size() != examples.size()) {
      throw new IllegalArgumentException(
          "scores cover " + scores.size() + " examples, dev split has " + examples.size());
    }
    String dev = Split.DEV.id();
    for (Example e : examples) {
      if (!dev.equals(e.split())) {
        throw new IllegalArgumentException(
            "thresholds and calibration are chosen on the dev split only; example '"
                + e.id()
                + "' is from the '"
                + e.split()
                + "' split");
      }
    }
    return new DevSplit(List.copyOf(examples), scores);
  }

  public List<Example> examples() {
    return examples;
  }

  public Scores scores() {
    return scores;
  }
}
