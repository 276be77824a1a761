package dev.sieve.core.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One host of a domain dataset version ({@code domains.jsonl.gz} and {@code background.jsonl.gz}).
 *
 * <p>Lists are positive-only, so a record states not only its labels but its {@code labelScope}:
 * the categories for which the labels are complete. A gambling-list host is positive for gambling
 * and unknown for adult; a background host (after list members are subtracted) is a weak negative
 * for every category ({@code labelScope = ["*"]}). Trainers and evaluators must honour the scope
 * instead of treating "absent" as "negative".
 *
 * @param host normalized ASCII host (as {@link dev.sieve.core.url.UrlNormalizer} produces)
 * @param registeredDomain eTLD+1: the grouping key of the split
 * @param labels taxonomy ids this host is positive for (after label mapping and conflict rules)
 * @param labelScope categories for which {@code labels} is complete; "*" means all
 * @param sources provenance: source list id (e.g. "ut1/gambling") to the taxonomy ids it said
 * @param split train/dev/test id
 * @param flags known-noise flags (e.g. "infrastructure", "giant_benign_host"); flagged, not dropped
 * @param rank popularity rank for background hosts, 0 when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DomainRecord(
    @JsonProperty("host") String host,
    @JsonProperty("registered_domain") String registeredDomain,
    @JsonProperty("labels") List<String> labels,
    @JsonProperty("label_scope") List<String> labelScope,
    @JsonProperty("sources") Map<String, List<String>> sources,
    @JsonProperty("split") String split,
    @JsonProperty("flags") List<String> flags,
    @JsonProperty("rank") int rank) {

  public DomainRecord {
    labels = labels == null ? List.of() : List.copyOf(labels);
    labelScope = labelScope == null ? List.of() : List.copyOf(labelScope);
    sources = sources == null ? Map.of() : Map.copyOf(sources);
    flags = flags == null ? List.of() : List.copyOf(flags);
  }

  /** Whether this record says anything (positive or negative) about {@code category}. */
  public boolean inScope(String category) {
    return labelScope.contains("*") || labelScope.contains(category) || labels.contains(category);
  }
}
