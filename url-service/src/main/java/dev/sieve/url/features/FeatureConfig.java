package dev.sieve.url.features;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the featurizer extracts and how it hashes it. Saved inside every model artifact so that the
 * serving process rebuilds exactly the featurizer the model was trained with.
 *
 * @param version feature-set version; bump when the extraction logic changes meaning
 * @param hashBits log2 of the number of hash buckets
 * @param hashSeed murmur3 seed
 * @param charNgrams whether to emit character n-grams of the site label
 * @param ngramMin shortest n-gram
 * @param ngramMax longest n-gram
 * @param segmentation whether to split concatenated labels into words with the vocabulary
 * @param pathTokens whether to emit path tokens and query keys (never query values)
 * @param maxPathTokens cap on path tokens per URL
 * @param maxQueryKeys cap on query keys per URL
 * @param subdomainNgrams whether to emit character n-grams of subdomain labels too (namespace "m")
 * @param tokenBigrams whether to emit adjacent host-token pairs within a label (namespace "b")
 * @param neutralIdentityTerms whether words naming a sexual orientation or gender identity ("gay",
 *     "lesbian", "transgender", "lgbtq", ...) are kept out of every feature (tokens, n-grams,
 *     path); see {@link IdentityTerms}. Absent in models trained before it existed (read as false).
 */
public record FeatureConfig(
    @JsonProperty("version") String version,
    @JsonProperty("hash_bits") int hashBits,
    @JsonProperty("hash_seed") int hashSeed,
    @JsonProperty("char_ngrams") boolean charNgrams,
    @JsonProperty("ngram_min") int ngramMin,
    @JsonProperty("ngram_max") int ngramMax,
    @JsonProperty("segmentation") boolean segmentation,
    @JsonProperty("path_tokens") boolean pathTokens,
    @JsonProperty("max_path_tokens") int maxPathTokens,
    @JsonProperty("max_query_keys") int maxQueryKeys,
    @JsonProperty("subdomain_ngrams") boolean subdomainNgrams,
    @JsonProperty("token_bigrams") boolean tokenBigrams,
    @JsonProperty("neutral_identity_terms") boolean neutralIdentityTerms) {

  /** url-features-2: identity terms neutral ({@code neutral_identity_terms}). */
  public static final String CURRENT_VERSION = "url-features-2";

  public FeatureConfig {
    if (hashBits < 8 || hashBits > 24) {
      throw new IllegalArgumentException("hash_bits must be in [8, 24]: " + hashBits);
    }
    if (charNgrams && (ngramMin < 1 || ngramMax < ngramMin || ngramMax > 8)) {
      throw new IllegalArgumentException("bad n-gram range " + ngramMin + ".." + ngramMax);
    }
  }

  /**
   * The released feature set: 2^20 buckets, n-grams 3-5 of the site label and of subdomain labels,
   * segmentation, path tokens; no token pairs (on dev they added 0.1 point of macro AP for 15% more
   * weights); identity terms neutral (issue #11: LGBTQ+ sites Sieve never saw were flagged adult
   * because porn host names say "gay" and "lesbian" far more often than anything else does).
   */
  public static FeatureConfig defaults() {
    return new FeatureConfig(
        CURRENT_VERSION, 20, 0x5133e, true, 3, 5, true, true, 16, 8, true, false, true);
  }

  public FeatureConfig withSegmentation(boolean on) {
    return new FeatureConfig(
        version,
        hashBits,
        hashSeed,
        charNgrams,
        ngramMin,
        ngramMax,
        on,
        pathTokens,
        maxPathTokens,
        maxQueryKeys,
        subdomainNgrams,
        tokenBigrams,
        neutralIdentityTerms);
  }

  public FeatureConfig withCharNgrams(boolean on) {
    return new FeatureConfig(
        version,
        hashBits,
        hashSeed,
        on,
        ngramMin,
        ngramMax,
        segmentation,
        pathTokens,
        maxPathTokens,
        maxQueryKeys,
        subdomainNgrams,
        tokenBigrams,
        neutralIdentityTerms);
  }

  public FeatureConfig withHashBits(int bits) {
    return new FeatureConfig(
        version,
        bits,
        hashSeed,
        charNgrams,
        ngramMin,
        ngramMax,
        segmentation,
        pathTokens,
        maxPathTokens,
        maxQueryKeys,
        subdomainNgrams,
        tokenBigrams,
        neutralIdentityTerms);
  }

  public FeatureConfig withSubdomainNgrams(boolean on) {
    return new FeatureConfig(
        version,
        hashBits,
        hashSeed,
        charNgrams,
        ngramMin,
        ngramMax,
        segmentation,
        pathTokens,
        maxPathTokens,
        maxQueryKeys,
        on,
        tokenBigrams,
        neutralIdentityTerms);
  }

  public FeatureConfig withTokenBigrams(boolean on) {
    return new FeatureConfig(
        version,
        hashBits,
        hashSeed,
        charNgrams,
        ngramMin,
        ngramMax,
        segmentation,
        pathTokens,
        maxPathTokens,
        maxQueryKeys,
        subdomainNgrams,
        on,
        neutralIdentityTerms);
  }

  public FeatureConfig withNeutralIdentityTerms(boolean on) {
    return new FeatureConfig(
        version,
        hashBits,
        hashSeed,
        charNgrams,
        ngramMin,
        ngramMax,
        segmentation,
        pathTokens,
        maxPathTokens,
        maxQueryKeys,
        subdomainNgrams,
        tokenBigrams,
        on);
  }

  public int buckets() {
    return 1 << hashBits;
  }
}
