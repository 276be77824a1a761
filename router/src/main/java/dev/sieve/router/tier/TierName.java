package dev.sieve.router.tier;

import java.util.List;

/**
 * The tiers the router knows by name, in the order every response lists them.
 *
 * <p>The router never sees a tier's internals; what it knows about a tier is only its wire name,
 * the input it needs (a URL, a body, or an uncertain case) and whether its scores are a first
 * opinion ({@link #isPrimary()}) or a second opinion merged on top ({@code llm}). Keeping that
 * knowledge in one enum means adding a tier touches one place in the router and nothing in the
 * other tiers.
 */
public enum TierName {
  /** Known-domain table + lexical URL model; consulted whenever the request has a URL. */
  URL("url", true),
  /** HTML/text model; consulted whenever the request has a body. */
  CONTENT("content", true),
  /** Zero-shot fallback; consulted only for uncertain categories and emerging categories. */
  LLM("llm", false);

  private static final List<TierName> ALL = List.of(values());

  private final String wireName;
  private final boolean primary;
  private final int bit;

  TierName(String wireName, boolean primary) {
    this.wireName = wireName;
    this.primary = primary;
    this.bit = 1 << ordinal();
  }

  /**
   * The name used on the wire ({@code ClassifyRequest.tiers}, {@code TierStatus.tier}, reasons).
   */
  public String wireName() {
    return wireName;
  }

  /**
   * True for first-opinion tiers whose scores are merged by max; false for the second-opinion llm
   * tier.
   */
  public boolean isPrimary() {
    return primary;
  }

  /** This tier's bit in a tier mask (an int set of tiers, used in cache keys and filters). */
  public int bit() {
    return bit;
  }

  /** True when {@code mask} contains this tier. */
  public boolean in(int mask) {
    return (mask & bit) != 0;
  }

  /** All tiers in response order (cached, no allocation). */
  public static List<TierName> all() {
    return ALL;
  }

  /** The tier with this wire name, or null. */
  public static TierName fromWire(String name) {
    return switch (name) {
      case "url" -> URL;
      case "content" -> CONTENT;
      case "llm" -> LLM;
      default -> null;
    };
  }
}
