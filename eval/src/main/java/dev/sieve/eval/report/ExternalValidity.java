package dev.sieve.eval.report;

import java.util.List;

/**
 * What an in-distribution test split cannot show: how often the model flags ORDINARY inputs
 * (background: label scope "*") it should leave alone, per category and per group of ordinary
 * inputs (every ordinary source and every input kind separately), with Wilson intervals.
 *
 * <p>Why per group: a rate pooled over all ordinary inputs is dominated by the largest source
 * (textbook paragraphs) and hides the register that over-blocks (user posts, pages). The gate holds
 * the ceiling on the pooled rate and on every group large enough to measure it.
 *
 * @param groups ordinary-input groups, "all" first, then "input:&lt;kind&gt;", then
 *     "source:&lt;id&gt;"
 * @param rates one row per category and group
 * @param falseAlertRate share of ordinary inputs that no alerting category labels but that a
 *     decided alerting category (self_harm, self_harm_help) would alert on; null without background
 */
public record ExternalValidity(
    List<String> groups, List<GroupRate> rates, Estimate falseAlertRate) {

  /** The group every ordinary input belongs to. */
  public static final String ALL = "all";

  /**
   * A category's flag rate on one group of ordinary inputs.
   *
   * @param category taxonomy id
   * @param group group id
   * @param items ordinary inputs of the group not labelled with the category
   * @param flagged of which the model flags
   * @param rate flagged / items with a Wilson 95% interval
   */
  public record GroupRate(String category, String group, long items, long flagged, Estimate rate) {}

  /** The rows of one category, in group order. */
  public List<GroupRate> of(String category) {
    return rates.stream().filter(r -> r.category().equals(category)).toList();
  }
}
