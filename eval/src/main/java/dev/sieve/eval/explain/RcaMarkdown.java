package dev.sieve.eval.explain;

import dev.sieve.core.text.MarkdownTable;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes an {@link Explanation} as the RCA template engineers fill in and file. */
public final class RcaMarkdown {

  private RcaMarkdown() {}

  public static String render(Explanation x, String timestamp) {
    StringBuilder sb = new StringBuilder();
    String subject = !x.url().isEmpty() ? x.url() : "text: " + clip(x.text(), 80);
    sb.append("# RCA: ").append(esc(subject)).append("\n\n");
    sb.append("- Investigated: ").append(timestamp).append('\n');
    sb.append("- Reported expectation: ")
        .append(
            x.expected() == null
                ? "not stated"
                : x.expected().isEmpty()
                    ? "no category (should be allowed)"
                    : String.join(", ", x.expected().stream().sorted().toList()))
        .append('\n');
    if (!x.host().isEmpty()) {
      sb.append("- Host: ")
          .append(x.host())
          .append(" (registered domain ")
          .append(x.registeredDomain())
          .append(")\n");
    }
    sb.append("- Dataset for neighbours: ")
        .append(x.datasetVersion().isEmpty() ? "none available" : x.datasetVersion())
        .append("\n\n");

    sb.append("## 1. Verdict\n\n");
    if (x.response().isEmpty()) {
      sb.append("No verdict: ").append(esc(x.routerError())).append("\n\n");
    } else {
      ClassifyResponse r = x.response().get();
      sb.append("Action **")
          .append(r.getAction())
          .append("**")
          .append(r.getAlert() ? ", wellness alert raised" : "")
          .append("; primary category: ")
          .append(r.getPrimaryCategory().isEmpty() ? "none" : r.getPrimaryCategory())
          .append("; policy ")
          .append(r.getPolicyId())
          .append(' ')
          .append(r.getPolicyVersion())
          .append("; normalized URL ")
          .append(esc(r.getNormalizedUrl()))
          .append("\n\n");
      MarkdownTable categories =
          MarkdownTable.spaced(List.of("Category", "Score", "Threshold", "Decided", "Tiers"));
      for (CategoryVerdict v : r.getCategoriesList()) {
        if (v.getDecision()
            || v.getScore() >= 0.1
            || v.getCategory().equals(x.focus().category())) {
          categories.row(
              v.getCategory(),
              num(v.getScore()),
              num(v.getThreshold()),
              v.getDecision() ? "yes" : "no",
              String.join(", ", v.getTiersList()));
        }
      }
      categories.appendTo(sb).append('\n');
      MarkdownTable tiers =
          MarkdownTable.spaced(
              List.of("Tier", "State", "Model", "Version", "Dataset", "Latency (µs)", "Detail"));
      for (TierStatus t : r.getTiersList()) {
        ModelInfo m = t.getModel();
        tiers.row(
            t.getTier(),
            t.getState(),
            m.getName(),
            m.getVersion(),
            m.getDatasetVersion(),
            t.getLatencyMicros(),
            esc(t.getDetail()));
      }
      tiers.appendTo(sb).append('\n');
    }

    sb.append("## 2. Evidence by tier\n\n");
    if (x.response().isEmpty() || x.response().get().getReasonsCount() == 0) {
      sb.append("_(no evidence returned)_\n\n");
    } else {
      Map<String, MarkdownTable> byTier = new TreeMap<>();
      for (Reason reason : x.response().get().getReasonsList()) {
        var e = reason.getEvidence();
        byTier
            .computeIfAbsent(
                reason.getTier(),
                k ->
                    MarkdownTable.spaced(List.of("Kind", "Category", "Detail", "Weight", "Source")))
            .row(
                e.getKind(),
                reason.getCategory().isEmpty() ? e.getCategory() : reason.getCategory(),
                esc(clip(e.getDetail(), 160)),
                num(e.getWeight()),
                esc(e.getSource()));
      }
      byTier.forEach(
          (tier, table) ->
              table.appendTo(sb.append("### ").append(tier).append("\n\n")).append('\n'));
    }

    sb.append("## 3. Nearest training examples and label provenance\n\n");
    if (x.neighbours().isEmpty()) {
      sb.append("_(none found")
          .append(x.datasetVersion().isEmpty() ? ": no dataset available" : "")
          .append(")_\n\n");
    } else {
      MarkdownTable neighbours =
          MarkdownTable.spaced(
              List.of(
                  "Example",
                  "Similarity",
                  "How",
                  "Labels",
                  "Label scope",
                  "Sources (what each said)",
                  "Flags",
                  "Split"));
      for (Neighbour n : x.neighbours()) {
        neighbours.row(
            esc(clip(n.input(), 120)),
            num(n.similarity()),
            n.how(),
            String.join(", ", n.labels()),
            String.join(", ", n.scope()),
            esc(sources(n.sources())),
            String.join(", ", n.flags()),
            n.split());
      }
      neighbours.appendTo(sb).append('\n');
    }

    sb.append("## 4. Analysis (fill in)\n\n");
    Focus f = x.focus();
    sb.append("- Category under investigation: ")
        .append(f.category().isEmpty() ? "none" : f.category())
        .append(" (")
        .append(f.kind().replace('_', ' '))
        .append(
            Double.isNaN(f.score())
                ? ""
                : String.format(
                    Locale.ROOT, ", score %.3f vs threshold %.3f", f.score(), f.threshold()))
        .append(")\n");
    sb.append("- Is the reported expectation right under the taxonomy definition? ...\n");
    sb.append("- Which evidence drove the verdict, and is it correct? ...\n");
    sb.append("- Are the neighbours' labels right? Is their source known to be noisy? ...\n");
    sb.append("- How many similar inputs are affected (search the dataset / logs)? ...\n\n");

    sb.append("## 5. Proposed action\n\n");
    ProposedAction a = x.action();
    sb.append("**")
        .append(a.action())
        .append("** (rule ")
        .append(a.rule())
        .append("): ")
        .append(esc(a.rationale()))
        .append("\n\n");
    sb.append(
        "Rules, first match wins: R1 list entry from a noisy source (or a list-driven false positive)"
            + " -> RELABEL; R2 policy rule decided -> ADD_RULE; R3 score within the margin of the threshold ->"
            + " CHANGE_THRESHOLD; R4 no near training example -> ADD_DATA; R5 nearest examples carry the label"
            + " from a noisy source -> RELABEL; R6 otherwise -> ADD_DATA.\n\n");
    sb.append(
        "- [ ] Action agreed by: ...\n- [ ] Change made (commit / dataset version / policy version): ...\n"
            + "- [ ] Verified with ./sieve explain after the change: ...\n");
    return sb.toString();
  }

  private static String sources(Map<String, List<String>> s) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(s)
        .forEach(
            (k, v) ->
                sb.append(sb.length() > 0 ? "; " : "")
                    .append(k)
                    .append(" -> ")
                    .append(v.isEmpty() ? "(no label)" : String.join(",", v)));
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String clip(String s, int n) {
    return s.length() > n ? s.substring(0, n) + "…" : s;
  }

  private static String esc(String s) {
    return s == null ? "" : s.replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }
}
