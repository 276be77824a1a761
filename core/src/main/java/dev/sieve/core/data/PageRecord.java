package dev.sieve.core.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One real web page of a dataset version ({@code pages.jsonl.gz}): the raw HTML as a browser
 * received it and the article text a reference extractor (Mozilla Readability) found in it.
 *
 * <p>Evaluation only: pages are what the content tier serves, and none of the other text sources is
 * shaped like one (navigation, footers, comments, scripts). They measure extraction and the
 * false-flag rate on pages; no model trains on them (their content belongs to the publishers).
 * Labels follow {@link TextRecord}: every page so far is ordinary (scope "*", no labels).
 *
 * @param id stable record id
 * @param html the page's HTML, as captured
 * @param articleText the article text of the reference extraction (plain text of Readability's
 *     {@code expected.html}), for extraction tests
 * @param title page title from the reference metadata
 * @param site site name from the reference metadata ("" when unknown)
 * @param labels taxonomy ids the page is positive for
 * @param labelScope categories the labels are complete for
 * @param source source id
 * @param kind always "page"
 * @param group split group
 * @param split dev or test (pages are never in train)
 * @param meta provenance (directory, byte size, language)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PageRecord(
    @JsonProperty("id") String id,
    @JsonProperty("html") String html,
    @JsonProperty("article_text") String articleText,
    @JsonProperty("title") String title,
    @JsonProperty("site") String site,
    @JsonProperty("labels") List<String> labels,
    @JsonProperty("label_scope") List<String> labelScope,
    @JsonProperty("source") String source,
    @JsonProperty("kind") String kind,
    @JsonProperty("group") String group,
    @JsonProperty("split") String split,
    @JsonProperty("meta") Map<String, String> meta) {

  public PageRecord {
    labels = labels == null ? List.of() : List.copyOf(labels);
    labelScope = labelScope == null ? List.of() : List.copyOf(labelScope);
    meta = meta == null ? Map.of() : Map.copyOf(meta);
    title = title == null ? "" : title;
    site = site == null ? "" : site;
  }
}
