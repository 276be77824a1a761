package dev.sieve.eval.policy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How to recognise the members of one protected slice (LGBTQ+ resources, sex education, ...) among
 * dataset records. Lists rarely label these pages, so membership is declared in the policy file: by
 * label source, by host pattern, by text pattern, by metadata — any one of them matching is enough,
 * and {@code requiresLabels} (when set) narrows the match to records carrying one of those labels
 * (e.g. news pages that talk about violence).
 *
 * @param description what the slice is and why over-blocking it harms students
 * @param sources label-source globs ("ut1/sexual_education", "cssrs*") matched against
 *     DomainRecord.sources keys and TextRecord.source
 * @param hostPatterns regular expressions searched in the host (case-insensitive)
 * @param textPatterns regular expressions searched in the text (case-insensitive)
 * @param metaPatterns TextRecord.meta key to a regular expression its value must contain
 * @param requiresLabels when non-empty, only records with one of these labels qualify
 * @param excludeLabels records with one of these labels never qualify: a pornographic site whose
 *     host says "gay" is a correct block, not an LGBTQ+ resource being over-blocked
 * @param textSources when non-empty, text and page records qualify only from these sources (globs):
 *     a slur-laden tweet that says "queer" is not an LGBTQ+ resource, a health page that does is
 */
public record SliceRule(
    String description,
    List<String> sources,
    List<String> hostPatterns,
    List<String> textPatterns,
    Map<String, String> metaPatterns,
    List<String> requiresLabels,
    List<String> excludeLabels,
    List<String> textSources) {

  public SliceRule {
    textSources = textSources == null ? List.of() : List.copyOf(textSources);
    description = description == null ? "" : description;
    sources = sources == null ? List.of() : List.copyOf(sources);
    hostPatterns = hostPatterns == null ? List.of() : List.copyOf(hostPatterns);
    textPatterns = textPatterns == null ? List.of() : List.copyOf(textPatterns);
    metaPatterns = metaPatterns == null ? Map.of() : new TreeMap<>(metaPatterns);
    requiresLabels = requiresLabels == null ? List.of() : List.copyOf(requiresLabels);
    excludeLabels = excludeLabels == null ? List.of() : List.copyOf(excludeLabels);
    for (String p : hostPatterns) {
      Pattern.compile(p); // fail on load, not on the millionth record
    }
    for (String p : textPatterns) {
      Pattern.compile(p);
    }
    metaPatterns.values().forEach(Pattern::compile);
  }
}
