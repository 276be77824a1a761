package dev.sieve.router;

import dev.sieve.proto.v1.TierState;
import dev.sieve.router.tier.TierOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Input drift seen through the content tier's own account of each page (#15 item 2): the tier's
 * answer names in {@code normalized_input} the page's language and why the page was cut before the
 * encoder saw all of it ({@code "html lang=en chars=5120 chunks=16 truncated=max_chunks(31)"}). A
 * model card describes pages as its test split had them; when far more live pages are truncated, or
 * arrive in another language, the card's numbers describe less of what is served, whatever the
 * score histograms say.
 *
 * <ul>
 *   <li>{@code sieve_router_content_pages_total{truncated = yes | no}}: pages the content tier
 *       answered
 *   <li>{@code sieve_router_content_truncations_total{reason}}: why (max_chunks, max_text_chars,
 *       max_tags, parse_budget, ...; the parenthesised count dropped so the label set stays small)
 *   <li>{@code sieve_router_content_languages_total{lang}}: the detected language; at most {@value
 *       #MAX_LANGUAGES} values, the rest counted as {@code other}
 * </ul>
 *
 * <p>Counted once per fresh verdict (not per cache hit), like the score histograms.
 */
final class ContentInputMetrics {

  static final int MAX_LANGUAGES = 40;

  private final MeterRegistry registry;
  private final Counter truncated;
  private final Counter whole;
  private final Map<String, Counter> reasons = new ConcurrentHashMap<>();
  private final Map<String, Counter> languages = new ConcurrentHashMap<>();

  ContentInputMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.truncated = pages(registry, "yes");
    this.whole = pages(registry, "no");
  }

  private static Counter pages(MeterRegistry registry, String truncated) {
    return Counter.builder("sieve_router_content_pages")
        .description(
            "Pages the content tier answered, by whether the encoder saw only part of them")
        .tag("truncated", truncated)
        .register(registry);
  }

  /** Records the content tier's outcome of one fresh verdict (no-op unless it answered). */
  void record(TierOutcome content) {
    if (content == null
        || content.state() != TierState.TIER_STATE_OK
        || content.response() == null) {
      return;
    }
    String input = content.response().getNormalizedInput();
    String lang = field(input, "lang=");
    if (lang != null) {
      language(lang).increment();
    }
    String cut = field(input, "truncated=");
    if (cut == null) {
      whole.increment();
      return;
    }
    truncated.increment();
    for (String reason : cut.split(",")) {
      int paren = reason.indexOf('(');
      String name = (paren >= 0 ? reason.substring(0, paren) : reason).strip();
      if (!name.isEmpty() && name.length() <= 32) {
        reasons
            .computeIfAbsent(
                name,
                r ->
                    Counter.builder("sieve_router_content_truncations")
                        .description(
                            "Why content pages were cut before the encoder saw all of them")
                        .tag("reason", r)
                        .register(registry))
            .increment();
      }
    }
  }

  private Counter language(String lang) {
    Counter counter = languages.get(lang);
    if (counter != null) {
      return counter;
    }
    String label = lang.length() <= 8 && languages.size() < MAX_LANGUAGES ? lang : "other";
    return languages.computeIfAbsent(
        label,
        l ->
            Counter.builder("sieve_router_content_languages")
                .description("Detected language of the pages the content tier answered")
                .tag("lang", l)
                .register(registry));
  }

  /** The value after {@code key} up to the next space, or null. */
  static String field(String text, String key) {
    int start = text.indexOf(key);
    if (start < 0 || (start > 0 && text.charAt(start - 1) != ' ')) {
      return null;
    }
    start += key.length();
    int end = text.indexOf(' ', start);
    String value = end < 0 ? text.substring(start) : text.substring(start, end);
    return value.isEmpty() ? null : value;
  }
}
