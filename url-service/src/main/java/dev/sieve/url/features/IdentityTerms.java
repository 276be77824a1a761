package dev.sieve.url.features;

import java.util.Arrays;
import java.util.List;

/**
 * Words that name a sexual orientation or a gender identity, which the url tier's features leave
 * out (when {@link FeatureConfig#neutralIdentityTerms()} is on).
 *
 * <p>Why: in the blocklists the URL model learns from, "gay", "lesbian" and "transgender" occur in
 * thousands of pornography host names and in almost nothing else, so a lexical model learns that
 * the word itself is evidence of adult content and flags the host names of LGBTQ+ support, history
 * and community sites it has never seen (issue #11: about 12% of them on independent lists). An
 * identity is not evidence of adult content; the words around it ("porn", "xxx", "cams", "tube")
 * are, and the model keeps those. Leaving the terms out of every feature — host tokens, whole
 * subdomain labels, the character n-grams that overlap them, path tokens — is the only way to keep
 * the weight from coming back through a neighbouring feature. The cost (a porn host whose only
 * adult cue is the identity word) is measured in the model card's adult recall, and listed hosts
 * are decided by the known-domain table before the model is asked.
 */
public final class IdentityTerms {

  /**
   * Lower-case terms; matched as whole tokens and, inside concatenated labels, as substrings (for
   * the n-gram mask). Short or ambiguous stems ("bi", "trans", "homo") are not listed: they occur
   * in too many unrelated words (bike, transport, homepage).
   */
  static final List<String> TERMS =
      List.of(
          "lgbtqia",
          "lgbtqi",
          "lgbtq",
          "lgbti",
          "lgbt",
          "glbt",
          "homosexuals",
          "homosexual",
          "bisexuals",
          "bisexual",
          "transgenders",
          "transgender",
          "lesbians",
          "lesbianas",
          "lesbiana",
          "lesbian",
          "queers",
          "queer",
          "nonbinary",
          "intersex",
          "gays",
          "gay");

  private static final int SHORTEST = TERMS.stream().mapToInt(String::length).min().orElseThrow();
  private static final int LONGEST = TERMS.stream().mapToInt(String::length).max().orElseThrow();

  private IdentityTerms() {}

  /**
   * Whether {@code s[from, to)} is exactly one of the terms (ASCII case-insensitive). Compares in
   * place: the featurizer calls it for every token of every URL it serves.
   */
  public static boolean isTerm(String s, int from, int to) {
    int n = to - from;
    if (n < SHORTEST || n > LONGEST) {
      return false;
    }
    for (String term : TERMS) {
      if (term.length() == n && s.regionMatches(true, from, term, 0, n)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A mask over {@code s[from, to)}: {@code mask[i - from]} is true where a term occurs as a
   * substring (every occurrence of every term, so "lgbtq" is masked whole, not left as "q" after
   * "lgbt"). Null when no term occurs, which is the common case and allocates nothing.
   */
  public static boolean[] mask(String s, int from, int to) {
    boolean[] mask = null;
    for (String term : TERMS) {
      int n = term.length();
      for (int at = from; at + n <= to; at++) {
        if (s.regionMatches(true, at, term, 0, n)) {
          if (mask == null) {
            mask = new boolean[to - from];
          }
          Arrays.fill(mask, at - from, at - from + n, true);
        }
      }
    }
    return mask;
  }
}
