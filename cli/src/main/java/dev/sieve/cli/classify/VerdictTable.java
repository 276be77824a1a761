package dev.sieve.cli.classify;

import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ClassifyResponse} for a person at a terminal: the decision first, then why
 * (categories, reasons with their concrete evidence), then lineage (tiers, models, policy, cache).
 * A degraded verdict says so right under the decision, with why: a BLOCK decided because a tier was
 * down must not read like one decided on evidence. Every line fits a 100-column terminal: long
 * evidence and tier details wrap under their column.
 */
public final class VerdictTable {

  /** The terminal width every line fits. */
  static final int WIDTH = 100;

  private static final int MAX_DETAIL = 90;

  /** Where the Reasons table's evidence column starts. */
  private static final int REASON_INDENT = 2 + 22 + 1 + 8 + 1;

  /** Where the Tiers table's MODEL column starts. */
  private static final int MODEL_INDENT = 2 + 8 + 1 + 13 + 1 + 10 + 2;

  /** Where a tier's detail line starts (under STATE). */
  private static final int DETAIL_INDENT = 2 + 8 + 1;

  private VerdictTable() {}

  /**
   * @param allCategories print every category, not only those with a non-zero score or a decision
   */
  public static void render(
      String requestedUrl, ClassifyResponse response, boolean allCategories, PrintWriter out) {
    if (!requestedUrl.isEmpty()) {
      out.printf("URL        %s%n", requestedUrl);
    }
    if (!response.getNormalizedUrl().isEmpty()
        && !response.getNormalizedUrl().equals(requestedUrl)) {
      out.printf("Normalized %s%n", response.getNormalizedUrl());
    }
    out.printf(
        "Action     %s   alert: %s   primary category: %s%n",
        ShortNames.action(response.getAction()),
        response.getAlert() ? "YES" : "no",
        response.getPrimaryCategory().isEmpty() ? "-" : response.getPrimaryCategory());
    if (response.getDegraded()) {
      out.print(wrap("Degraded   " + degraded(response), 11));
    }
    String tenant =
        response.getEffectiveTenant().isEmpty()
            ? "(global default)"
            : response.getEffectiveTenant();
    out.printf(
        "Policy     %s version %s, tenant %s%s%n",
        orDash(response.getPolicyId()),
        orDash(response.getPolicyVersion()),
        tenant,
        response.getDefaultPolicyApplied() ? " (unknown tenant: default policy applied)" : "");
    out.printf(
        "Cache      %s, TTL %d s, request %s%n",
        response.getCacheHit() ? "HIT" : "miss",
        response.getTtlSeconds(),
        orDash(response.getRequestId()));
    String datasets = datasets(response);
    if (!datasets.isEmpty()) {
      out.print(wrap("Datasets   " + datasets, 11));
    }

    out.println();
    out.println(
        allCategories
            ? "Categories (all)"
            : "Categories (score > 0 or decided; --all for every category)");
    out.printf(
        "  %-22s %7s %9s  %-8s %-14s %s%n",
        "CATEGORY", "SCORE", "THRESHOLD", "DECISION", "ACTION", "TIERS");
    int shown = 0;
    for (CategoryVerdict v : response.getCategoriesList()) {
      if (!allCategories && v.getScore() <= 0 && !v.getDecision()) {
        continue;
      }
      shown++;
      out.printf(
          Locale.ROOT,
          "  %-22s %7.3f %9.3f  %-8s %-14s %s%s%n",
          v.getCategory(),
          v.getScore(),
          v.getThreshold(),
          v.getDecision() ? "YES" : "no",
          categoryAction(v),
          v.getTiersCount() == 0 ? "-" : String.join(",", v.getTiersList()),
          v.getZeroShot() ? "  (zero-shot)" : "");
    }
    if (shown == 0) {
      out.println("  (no category has a non-zero score)");
    }

    out.println();
    out.println("Reasons");
    if (response.getReasonsCount() == 0) {
      out.println("  (none)");
    }
    for (Reason reason : response.getReasonsList()) {
      out.print(
          wrap(
              String.format(
                  "  %-22s %-8s %s",
                  orDash(reason.getCategory()),
                  orDash(reason.getTier()),
                  evidence(reason.getEvidence())),
              REASON_INDENT));
    }

    out.println();
    out.println("Tiers");
    out.printf("  %-8s %-13s %10s  %s%n", "TIER", "STATE", "LATENCY", "MODEL");
    for (TierStatus tier : response.getTiersList()) {
      out.printf(
          "  %-8s %-13s %10s  %s%n",
          tier.getTier(),
          ShortNames.tierState(tier.getState()),
          tier.getLatencyMicros() > 0 ? latency(tier.getLatencyMicros()) : "-",
          fit(model(tier.getModel()), WIDTH - MODEL_INDENT));
      String detail = truncate(tier.getDetail());
      if (!detail.isEmpty()) {
        out.print(wrap(" ".repeat(DETAIL_INDENT) + detail, DETAIL_INDENT));
      }
    }
    out.flush();
  }

  /**
   * Why a degraded verdict is degraded, e.g. {@code YES: tier unavailable (url CIRCUIT_OPEN);
   * decided without every tier it needed, not cached by the router}. The reasons come from {@code
   * degraded_reasons}; the tiers behind each from {@code tiers[]} (a tier cut by the caller's
   * deadline has a detail starting "caller deadline", docs/reliability.md), so a person sees at
   * once whether the fleet or their own deadline is to blame.
   */
  static String degraded(ClassifyResponse response) {
    List<String> why = new ArrayList<>();
    for (DegradedReason reason : response.getDegradedReasonsList()) {
      switch (reason) {
        case DEGRADED_REASON_TIER_UNAVAILABLE ->
            why.add("tier unavailable" + tiers(response, false));
        case DEGRADED_REASON_CALLER_DEADLINE ->
            why.add("caller deadline too short for a tier" + tiers(response, true));
        default ->
            why.add(
                "reason "
                    + (reason == DegradedReason.UNRECOGNIZED
                        ? "unknown to this cli"
                        : reason.name()));
      }
    }
    String reasons = why.isEmpty() ? "the router gave no reason" : String.join(", ", why);
    return "YES: " + reasons + "; decided without every tier it needed, not cached by the router";
  }

  /**
   * " (url CIRCUIT_OPEN, content TIMEOUT)": the tiers that were unavailable, or cut by the caller.
   */
  private static String tiers(ClassifyResponse response, boolean cutByCaller) {
    List<String> named = new ArrayList<>();
    for (TierStatus tier : response.getTiersList()) {
      boolean missing =
          switch (tier.getState()) {
            case TIER_STATE_TIMEOUT,
                TIER_STATE_CIRCUIT_OPEN,
                TIER_STATE_ERROR,
                TIER_STATE_REJECTED ->
                true;
            default -> false;
          };
      if (missing && tier.getDetail().startsWith("caller deadline") == cutByCaller) {
        named.add(tier.getTier() + " " + ShortNames.tierState(tier.getState()));
      }
    }
    return named.isEmpty() ? "" : " (" + String.join(", ", named) + ")";
  }

  /**
   * The dataset versions behind the tiers that answered, each with who used it, e.g. {@code ds-1a00
   * (url table, content), ds-d0c3 (url model, llm)}: the url tier reports its table's and its
   * model's datasets as {@code table=<id>;model=<id>}.
   */
  static String datasets(ClassifyResponse response) {
    Map<String, List<String>> users = new LinkedHashMap<>();
    for (TierStatus tier : response.getTiersList()) {
      if (tier.getState() == TierState.TIER_STATE_OK) {
        addDatasets(users, tier.getModel().getDatasetVersion(), tier.getTier());
      }
    }
    for (String listed : response.getDatasetVersionsList()) {
      addDatasets(users, listed, null);
    }
    List<String> parts = new ArrayList<>();
    users.forEach(
        (id, who) -> parts.add(who.isEmpty() ? id : id + " (" + String.join(", ", who) + ")"));
    return String.join(", ", parts);
  }

  private static void addDatasets(Map<String, List<String>> users, String datasets, String tier) {
    for (String part : datasets.split(";")) {
      String entry = part.strip();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String role = eq > 0 ? entry.substring(0, eq).strip() : "";
      String id = eq > 0 ? entry.substring(eq + 1).strip() : entry;
      List<String> who = users.computeIfAbsent(id, k -> new ArrayList<>());
      if (tier != null) {
        String user = role.isEmpty() ? tier : tier + " " + role;
        if (!who.contains(user)) {
          who.add(user);
        }
      }
    }
  }

  static String evidence(Evidence evidence) {
    boolean kindKnown =
        evidence.getKind() != Evidence.Kind.KIND_UNSPECIFIED
            && evidence.getKind() != Evidence.Kind.UNRECOGNIZED;
    if (!kindKnown && evidence.getDetail().isEmpty() && evidence.getSource().isEmpty()) {
      return "(the tier reported no evidence)";
    }
    StringBuilder text =
        new StringBuilder(kindKnown ? ShortNames.evidenceKind(evidence.getKind()) : "");
    if (!evidence.getDetail().isEmpty()) {
      String detail = truncate(evidence.getDetail());
      text.append(text.isEmpty() ? "" : " ")
          .append(evidence.getKind() == Evidence.Kind.KIND_TEXT_SPAN ? '"' + detail + '"' : detail);
    }
    if (evidence.getWeight() != 0) {
      text.append(String.format(Locale.ROOT, " (weight %+.3f)", evidence.getWeight()));
    }
    if (!evidence.getSource().isEmpty()) {
      text.append(text.isEmpty() ? "[" : " [").append(evidence.getSource()).append(']');
    }
    return text.toString();
  }

  /**
   * {@code line} broken at spaces so that no line is wider than {@link #WIDTH}; continuation lines
   * start at column {@code indent}. A word longer than a line is cut. Ends with a newline.
   */
  static String wrap(String line, int indent) {
    StringBuilder out = new StringBuilder();
    String rest = line.stripTrailing();
    String pad = " ".repeat(indent);
    boolean first = true;
    while (true) {
      String current = first ? rest : pad + rest;
      if (current.length() <= WIDTH) {
        out.append(current).append(System.lineSeparator());
        return out.toString();
      }
      int cut = current.lastIndexOf(' ', WIDTH);
      if (cut <= indent) {
        cut = WIDTH;
      }
      out.append(current, 0, cut).append(System.lineSeparator());
      rest = current.substring(cut).strip();
      first = false;
      if (rest.isEmpty()) {
        return out.toString();
      }
    }
  }

  /** {@code text} cut to {@code width} characters with "..." when longer. */
  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 3) + "...";
  }

  private static String categoryAction(CategoryVerdict v) {
    return switch (v.getAction()) {
      case CATEGORY_ACTION_ALLOW -> "allow";
      case CATEGORY_ACTION_BLOCK -> "block";
      case CATEGORY_ACTION_ALERT -> "alert";
      default -> "-";
    };
  }

  /** Name and version; its dataset is on the Datasets line. */
  private static String model(ModelInfo model) {
    if (model.getName().isEmpty() && model.getVersion().isEmpty()) {
      return "-";
    }
    return model.getName() + (model.getVersion().isEmpty() ? "" : " " + model.getVersion());
  }

  static String latency(long micros) {
    return micros < 1_000 ? micros + " us" : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  private static String truncate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL - 3) + "...";
  }

  private static String orDash(String text) {
    return text == null || text.isEmpty() ? "-" : text;
  }
}
