package dev.sieve.llm.eval;

import dev.sieve.core.data.Split;
import dev.sieve.llm.input.InputKind;
import java.util.List;

/**
 * One zero-shot evaluation: a category, the kind of input, and labelled examples per split.
 *
 * @param name stable task id used in the card
 * @param category catalog category id scored
 * @param kind URL renderings of hosts or texts
 * @param positives what counts as positive (for the card)
 * @param negatives what counts as negative (for the card)
 * @param fewShot whether the description-only / few-shot experiment runs on this task
 * @param calibrates whether this task's dev split fits the served calibration of (category, kind)
 * @param slices source substrings for per-source slices of the positives (may be empty)
 */
public record EvalTask(
    String name,
    String category,
    InputKind kind,
    String positives,
    String negatives,
    boolean fewShot,
    boolean calibrates,
    List<String> slices,
    List<EvalExample> examples) {

  public List<EvalExample> split(Split split) {
    return examples.stream().filter(e -> e.split() == split).toList();
  }

  public long count(Split split, boolean positive) {
    return examples.stream().filter(e -> e.split() == split && e.positive() == positive).count();
  }
}
