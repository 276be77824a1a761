package dev.sieve.annotate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One item to label, as stored (see the {@code items} table for what each field means). */
public record Item(
    String id,
    String tenantId,
    String kind,
    String key,
    String url,
    String text,
    String html,
    String source,
    Map<String, Double> scores,
    List<String> evidence,
    String givenLabels,
    String focusCategory,
    String datasetVersion,
    String queue,
    String state,
    String batchId,
    String samplingRule,
    Double inclusionProbability,
    int overlap,
    boolean sensitive,
    String goldLabels,
    String finalLabels,
    String finalSource,
    String exportedIn,
    int reportCount,
    String stratum) {

  static final String COLUMNS =
      "id, tenant_id, kind, item_key, url, text_content, html, source, scores_json, evidence_json, given_labels,"
          + " focus_category, dataset_version, queue, state, batch_id, sampling_rule, inclusion_prob, overlap, sensitive,"
          + " gold_labels, final_labels, final_source, exported_in, report_count, stratum";

  static Item map(ResultSet rs) throws SQLException {
    double pi = rs.getDouble(18);
    Double inclusion = rs.wasNull() ? null : pi;
    return new Item(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        Json.scores(rs.getString(9)),
        Json.strings(rs.getString(10)),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        rs.getString(14),
        rs.getString(15),
        rs.getString(16),
        rs.getString(17),
        inclusion,
        rs.getInt(19),
        rs.getInt(20) == 1,
        rs.getString(21),
        rs.getString(22),
        rs.getString(23),
        rs.getString(24),
        rs.getInt(25),
        rs.getString(26));
  }

  /** Parses a stored comma list of category ids. */
  public static Set<String> labelSet(String commaList) {
    Set<String> out = new TreeSet<>();
    if (commaList != null && !commaList.isBlank()) {
      Arrays.stream(commaList.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .forEach(out::add);
    }
    return out;
  }

  public static String labelString(Collection<String> labels) {
    return String.join(",", new TreeSet<>(labels));
  }
}
