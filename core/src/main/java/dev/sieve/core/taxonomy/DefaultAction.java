package dev.sieve.core.taxonomy;

/**
 * What a positive decision in a category does for a K-12 tenant unless its policy says otherwise.
 *
 * <p>{@link #ALERT} exists because wellness categories (self-harm) need a human to look, not only a
 * block page: a student searching for help must reach it, and a counsellor must hear about it.
 */
public enum DefaultAction {
  /** Observed and reported; never blocks on its own. */
  ALLOW,
  /** Blocks the request. */
  BLOCK,
  /**
   * Raises the wellness alert; the request is blocked or allowed per policy (blocked by default).
   */
  ALERT
}
