package dev.sieve.eval.data;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.eval.policy.SliceRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compiled protected-slice rules from the policy file: decides which protected slices (LGBTQ+, sex
 * education, mental-health help, news about violence, health) a dataset record belongs to.
 */
public final class ProtectedSlices {

  private record Compiled(
      String name,
      List<Pattern> sources,
      List<Pattern> hosts,
      List<Pattern> texts,
      Map<String, Pattern> meta,
      List<String> requires,
      List<String> excludes,
      List<Pattern> textSources) {}

  private final List<Compiled> rules;

  private ProtectedSlices(List<Compiled> rules) {
    this.rules = rules;
  }

  public static ProtectedSlices none() {
    return new ProtectedSlices(List.of());
  }

  public static ProtectedSlices compile(Map<String, SliceRule> definitions) {
    List<Compiled> out = new ArrayList<>();
    new TreeMap<>(definitions)
        .forEach(
            (name, r) -> {
              Map<String, Pattern> meta = new TreeMap<>();
              r.metaPatterns().forEach((k, v) -> meta.put(k, ci(v)));
              out.add(
                  new Compiled(
                      name,
                      r.sources().stream().map(ProtectedSlices::glob).toList(),
                      r.hostPatterns().stream().map(ProtectedSlices::ci).toList(),
                      r.textPatterns().stream().map(ProtectedSlices::ci).toList(),
                      meta,
                      r.requiresLabels(),
                      r.excludeLabels(),
                      r.textSources().stream().map(ProtectedSlices::glob).toList()));
            });
    return new ProtectedSlices(out);
  }

  /** Protected slices of a host record. */
  public List<String> of(DomainRecord r) {
    List<String> out = new ArrayList<>();
    for (Compiled c : rules) {
      if (!labelsAllow(c, r.labels())) {
        continue;
      }
      boolean hit = anySource(c, r.sources().keySet()) || anyFind(c.hosts(), r.host());
      if (hit) {
        out.add(c.name());
      }
    }
    return out;
  }

  /** Protected slices of a text record. */
  public List<String> of(TextRecord r) {
    List<String> out = new ArrayList<>();
    for (Compiled c : rules) {
      if (!labelsAllow(c, r.labels())) {
        continue;
      }
      String source = r.source() == null ? "" : r.source();
      if (!c.textSources().isEmpty()
          && c.textSources().stream().noneMatch(p -> p.matcher(source).matches())) {
        continue;
      }
      boolean hit =
          anySource(c, List.of(source)) || anyFind(c.texts(), r.text() == null ? "" : r.text());
      if (!hit) {
        for (Map.Entry<String, Pattern> m : c.meta().entrySet()) {
          String v = r.meta().get(m.getKey());
          if (v != null && m.getValue().matcher(v).find()) {
            hit = true;
            break;
          }
        }
      }
      if (hit) {
        out.add(c.name());
      }
    }
    return out;
  }

  private static boolean labelsAllow(Compiled c, List<String> labels) {
    for (String x : c.excludes()) {
      if (labels.contains(x)) {
        return false;
      }
    }
    return c.requires().isEmpty() || c.requires().stream().anyMatch(labels::contains);
  }

  private static boolean anySource(Compiled c, Collection<String> sources) {
    for (Pattern p : c.sources()) {
      for (String s : sources) {
        if (p.matcher(s).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean anyFind(List<Pattern> patterns, String s) {
    for (Pattern p : patterns) {
      if (p.matcher(s).find()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern ci(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static Pattern glob(String glob) {
    List<String> parts = new ArrayList<>();
    for (String part : glob.split("\\*", -1)) {
      parts.add(Pattern.quote(part));
    }
    return Pattern.compile(String.join(".*", parts), Pattern.CASE_INSENSITIVE);
  }
}
