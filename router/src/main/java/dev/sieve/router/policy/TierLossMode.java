package dev.sieve.router.policy;

import java.util.Locale;

/**
 * What a category does when no tier gave an opinion on it because a consulted tier that covers it
 * was unavailable (its own timeout, an open breaker, an error, a full queue): the policy's {@code
 * on_tier_loss}, docs/policy.md section 7.
 *
 * <p>Why a choice and not a boolean: under a sustained outage "block everything" makes the filter
 * unusable and "allow everything" lets harm through; deciding on the url tier's evidence alone is
 * the middle a district may choose per category. None of the three ever raises the wellness alert:
 * an alert must rest on a model score.
 */
public enum TierLossMode {
  /** Decide the category positive without evidence: the verdict blocks, no alert (fail-closed). */
  BLOCK,
  /** Leave the category undecided (fail-open). */
  ALLOW,
  /**
   * Decide on the url tier's evidence alone: its score when it has one (as always); when the url
   * tier answered this request without an opinion, undecided; when there is no url-tier answer (no
   * URL, the url tier not deployed or unavailable too), as {@link #BLOCK}.
   */
  URL_ONLY;

  /** The policy file's spelling: {@code block}, {@code allow}, {@code url_only}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the policy file's spelling (case-insensitive), or null when unknown. */
  public static TierLossMode parse(String value) {
    for (TierLossMode mode : values()) {
      if (mode.wireName().equalsIgnoreCase(value)) {
        return mode;
      }
    }
    return null;
  }
}
