package dev.sieve.router.policy;

import dev.sieve.core.url.NormalizedUrl;
import java.util.List;
import java.util.Map;

/**
 * Allow/deny domain overrides of one tenant, layer by layer, nearest layer first.
 *
 * <p>Matching rule: the request's host matches an entry equal to the host or to one of its parent
 * domains, up to and including the registrable domain (ICANN eTLD+1, as in the url tier's
 * known-domain table: an entry for {@code blogspot.com} covers every blog under it; for a suffix
 * unknown to the public suffix list the list's default rule applies, so {@code district.local}
 * covers its hosts). The nearest layer with any match decides (a school's allow beats its
 * district's deny, even for a more specific district entry: the school is the administrator closest
 * to the students); within one layer the most specific entry wins. IP literals match only
 * themselves.
 */
public final class DomainOverrides {

  /** One layer's entries, keyed by normalized domain. */
  record Layer(String name, Map<String, OverrideMatch> entries) {}

  static final DomainOverrides NONE = new DomainOverrides(List.of());

  private final Layer[] layers;
  private final boolean empty;

  DomainOverrides(List<Layer> nearestFirst) {
    this.layers = nearestFirst.stream().filter(l -> !l.entries().isEmpty()).toArray(Layer[]::new);
    this.empty = layers.length == 0;
  }

  /** True when no layer has any override (the common case: matching is then free). */
  public boolean isEmpty() {
    return empty;
  }

  /** The deciding override for {@code url}, or null when none matches. */
  public OverrideMatch match(NormalizedUrl url) {
    if (empty || url == null) {
      return null;
    }
    String host = url.host();
    String upper = upperBound(url);
    boolean walkParents = !url.ipLiteral() && host.endsWith(upper) && !upper.isEmpty();
    for (Layer layer : layers) {
      Map<String, OverrideMatch> entries = layer.entries();
      String candidate = host;
      while (true) {
        OverrideMatch match = entries.get(candidate);
        if (match != null) {
          return match;
        }
        if (!walkParents || candidate.length() <= upper.length()) {
          break;
        }
        int dot = candidate.indexOf('.');
        if (dot < 0) {
          break;
        }
        candidate = candidate.substring(dot + 1);
      }
    }
    return null;
  }

  /**
   * The highest domain an entry may match: the registrable domain; for a host whose suffix is not
   * in the public suffix list (an intranet name such as {@code portal.district.local}), the public
   * suffix list's default rule applies: the last label is the suffix, so the last two labels are
   * the bound.
   */
  static String upperBound(NormalizedUrl url) {
    if (!url.publicSuffix().isEmpty() || url.ipLiteral()) {
      return url.registrableDomain();
    }
    String host = url.host();
    int last = host.lastIndexOf('.');
    if (last <= 0) {
      return host;
    }
    int previous = host.lastIndexOf('.', last - 1);
    return previous < 0 ? host : host.substring(previous + 1);
  }
}
