package dev.sieve.router.policy;

import dev.sieve.proto.v1.CategoryAction;

/**
 * How one tenant treats one category, fully resolved through the tenant chain.
 *
 * @param threshold a merged score at or above this decides the category positive
 * @param action what a positive decision does (ALLOW observes, BLOCK blocks, ALERT raises the
 *     alert)
 * @param bandLow lower end (inclusive) of the uncertainty band in which the llm tier is consulted
 * @param bandHigh upper end (inclusive) of the band; a band with {@code bandLow > bandHigh} is
 *     empty (the llm tier is never consulted for this category)
 * @param onTierLoss what a category without any opinion does because a tier that covers it was
 *     unavailable: block (fail-closed), allow (fail-open) or url_only ({@link TierLossMode})
 * @param alert a positive decision made from a model score raises the wellness alert (a decision
 *     made without evidence under {@code onTierLoss} never does) (always true for ALERT; set for
 *     help categories that alert without blocking, e.g. self_harm_help)
 * @param yieldsTo core-category indexes this category yields to: when one of them is decided with a
 *     merged score at least this category's, a positive decision here does not block (it is still
 *     reported and still alerts). "Help is never blocked": self_harm yields to self_harm_help,
 *     adult to sex_education.
 */
public record CategoryRule(
    double threshold,
    CategoryAction action,
    double bandLow,
    double bandHigh,
    TierLossMode onTierLoss,
    boolean alert,
    int[] yieldsTo) {

  private static final int[] NONE = new int[0];

  public CategoryRule {
    alert = alert || action == CategoryAction.CATEGORY_ACTION_ALERT;
    yieldsTo = yieldsTo == null ? NONE : yieldsTo.clone();
    onTierLoss = onTierLoss == null ? TierLossMode.ALLOW : onTierLoss;
  }

  /**
   * True when tier loss blocks the category outright ({@code on_tier_loss: block}, fail-closed).
   */
  public boolean failClosed() {
    return onTierLoss == TierLossMode.BLOCK;
  }

  /** A rule that alerts only when its action is ALERT and yields to nothing. */
  public CategoryRule(
      double threshold,
      CategoryAction action,
      double bandLow,
      double bandHigh,
      boolean failClosed) {
    this(
        threshold,
        action,
        bandLow,
        bandHigh,
        failClosed ? TierLossMode.BLOCK : TierLossMode.ALLOW,
        false,
        NONE);
  }

  /** True when {@code score} lies in the uncertainty band. */
  public boolean inBand(double score) {
    return score >= bandLow && score <= bandHigh;
  }

  /** True when a positive decision blocks under {@code blockOnAlert}. */
  public boolean blocks(boolean blockOnAlert) {
    return action == CategoryAction.CATEGORY_ACTION_BLOCK
        || (action == CategoryAction.CATEGORY_ACTION_ALERT && blockOnAlert);
  }
}
