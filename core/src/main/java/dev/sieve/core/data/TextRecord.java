package dev.sieve.core.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One text of a text dataset version ({@code texts.jsonl.gz}): a tweet, a Reddit post, a site
 * description, a safety prompt.
 *
 * <p>{@code kind} keeps the register visible ("tweet", "post", "site_description", "prompt")
 * because prompts and tweets are not web pages, and every metric on them must say so. {@code
 * labelScope} has the same meaning as in {@link DomainRecord}: Davidson tweets are labelled for
 * hate only.
 *
 * @param id stable record id (source + source row or hash)
 * @param text cleaned text
 * @param labels taxonomy ids this text is positive for
 * @param labelScope categories for which {@code labels} is complete; "*" means all
 * @param source source id (e.g. "davidson", "cssrs", "curlie", "safety/xstest")
 * @param kind register of the text: tweet, post, site_description, prompt
 * @param group grouping key of the split (author, site, or record hash)
 * @param split train/dev/test id
 * @param meta source-specific fields kept for slicing and provenance (e.g. original class, votes)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TextRecord(
    @JsonProperty("id") String id,
    @JsonProperty("text") String text,
    @JsonProperty("labels") List<String> labels,
    @JsonProperty("label_scope") List<String> labelScope,
    @JsonProperty("source") String source,
    @JsonProperty("kind") String kind,
    @JsonProperty("group") String group,
    @JsonProperty("split") String split,
    @JsonProperty("meta") Map<String, String> meta) {

  public TextRecord {
    labels = labels == null ? List.of() : List.copyOf(labels);
    labelScope = labelScope == null ? List.of() : List.copyOf(labelScope);
    meta = meta == null ? Map.of() : Map.copyOf(meta);
  }

  public boolean inScope(String category) {
    return labelScope.contains("*") || labelScope.contains(category) || labels.contains(category);
  }
}
