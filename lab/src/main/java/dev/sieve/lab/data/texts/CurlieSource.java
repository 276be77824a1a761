package dev.sieve.lab.data.texts;

import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Homepage2Vec crowdsourced Curlie labels: site title + description, multi-label over 14 Curlie
 * top-level categories (majority of 3 annotators). Labels are complete over Curlie's categories, so
 * a site not labelled Shopping is a negative for shopping: the scope is every taxonomy id the
 * Curlie rows map to. The row {@code (all)} applies to every description whatever its categories
 * (mapping v3: {@code background}, scope {@code "*"}: every site of the crowdsourced set is an
 * ordinary site; v2: an adult negative). The split group is the site's registered domain, with the
 * same split function as the domain files, so a site never crosses splits between its description
 * and its host.
 */
public final class CurlieSource extends TextSource {

  private static final Set<String> NON_CATEGORY =
      Set.of("url", "title", "description", "n_annotators");

  /** The mapping category that applies to every description. */
  static final String ALL = "(all)";

  @Override
  public String id() {
    return "curlie";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    List<String> scope = ctx.mapping().scopeOf(id());
    Optional<MappingRow> all = ctx.mapping().find(id(), ALL);
    forEachCsvRow(
        ctx,
        "majority_labels.csv",
        (row, line, label) -> {
          String url = nz(row.get("url")).strip();
          NormalizedUrl normalized;
          try {
            normalized = UrlNormalizer.instance().normalize(url);
          } catch (UrlRejectedException e) {
            ctx.report()
                .invalid(label, line, BuildReport.Kind.INVALID_ENTRY, "bad_url:" + e.reason(), url);
            return;
          }
          TreeSet<String> curlieCategories = new TreeSet<>();
          List<MappingRow> rows = new ArrayList<>();
          for (Map.Entry<String, String> e : row.entrySet()) {
            if (NON_CATEGORY.contains(e.getKey())) {
              continue;
            }
            String v = nz(e.getValue()).strip();
            if (!v.equals("0") && !v.equals("1")) {
              ctx.report()
                  .invalid(
                      label,
                      line,
                      BuildReport.Kind.MALFORMED_LINE,
                      "category_value_not_0_or_1",
                      e.getKey() + "=" + v);
              return;
            }
            Optional<MappingRow> mapping = row(ctx, e.getKey(), label, line);
            if (mapping.isEmpty()) {
              return;
            }
            if (v.equals("1")) {
              curlieCategories.add(e.getKey());
              rows.add(mapping.get());
            }
          }
          String title = TextCleaner.clean(nz(row.get("title")));
          String description = TextCleaner.clean(nz(row.get("description")));
          String text =
              title.isEmpty()
                  ? description
                  : description.isEmpty() ? title : title + "\n" + description;
          TextDraft d =
              new TextDraft("curlie:" + normalized.host(), id(), "site_description", text);
          located(d, label, line);
          d.group = normalized.registeredDomain();
          d.meta.put("group_kind", "registered_domain");
          d.labelScope.addAll(scope);
          if (TopicRules.blockableSiteDescription(text)) {
            // Rule S1: a site re-registered as porn, a casino or a dispensary since the annotation
            // is not ordinary text: it keeps only the Curlie categories' scope, not "*".
            d.flags.add("background_screened");
          } else {
            all.ifPresent(r -> apply(d, r));
          }
          for (MappingRow r : rows) {
            apply(d, r);
          }
          d.meta.put("curlie_categories", String.join(",", curlieCategories));
          d.meta.put("host", normalized.host());
          d.meta.put("annotators", nz(row.get("n_annotators")).strip());
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }
}
