package dev.sieve.eval.explain;

/**
 * The action an RCA ends in, with the rule that chose it and why.
 *
 * @param action RELABEL, CHANGE_THRESHOLD, ADD_DATA, ADD_RULE (or NO_ACTION when the verdict
 *     matches the expectation)
 * @param rule which numbered rule of {@link ActionRules} fired
 * @param rationale the evidence that made it fire
 */
public record ProposedAction(Action action, String rule, String rationale) {

  /** The four actions the standard allows an RCA to end in. */
  public enum Action {
    /** A label (list entry or training example) is wrong: fix the data, not the model. */
    RELABEL,
    /** The score is right next to the threshold: revisit the threshold policy on dev. */
    CHANGE_THRESHOLD,
    /** The model has no similar training examples: add labelled data (or hard negatives). */
    ADD_DATA,
    /** A policy rule or a site-specific override is the fastest safe fix. */
    ADD_RULE,
    /** The verdict matches what the reporter expected: nothing to fix. */
    NO_ACTION
  }
}
