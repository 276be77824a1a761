package dev.sieve.cli.classify;

import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.Reason;
import dev.sieve.proto.v1.TierStatus;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders a {@link ClassifyResponse} for a person at a terminal: the decision first, then why
 * (categories, reasons with their concrete evidence), then lineage (tiers, models, policy, cache).
 */
public final class VerdictTable {

  private static final int MAX_DETAIL = 90;

  private VerdictTable() {}

  /**
   * @param allCategories print every category, not only those with a non-zero score or a decision
   */
  public static void render(String requestedUrl, ClassifyResponse response, boolean allCategories, PrintWriter out) {
    if (!requestedUrl.isEmpty()) {
      out.printf("URL        %s%n", requestedUrl);
    }
    if (!response.getNormalizedUrl().isEmpty() && !response.getNormalizedUrl().equals(requestedUrl)) {
      out.printf("Normalized %s%n", response.getNormalizedUrl());
    }
    out.printf(
        "Action     %s   alert: %s   primary category: %s%n",
        response.getAction().name(),
        response.getAlert() ? "YES" : "no",
        response.getPrimaryCategory().isEmpty() ? "-" : response.getPrimaryCategory());
    String tenant = response.getEffectiveTenant().isEmpty() ? "(global default)" : response.getEffectiveTenant();
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
    if (response.getDatasetVersionsCount() > 0) {
      out.printf("Datasets   %s%n", String.join(", ", response.getDatasetVersionsList()));
    }

    out.println();
    out.println(allCategories ? "Categories (all)" : "Categories (score > 0 or decided; --all for every category)");
    out.printf("  %-22s %7s %9s  %-8s %-14s %s%n", "CATEGORY", "SCORE", "THRESHOLD", "DECISION", "ACTION", "TIERS");
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
      out.printf("  %-22s %-8s %s%n", orDash(reason.getCategory()), orDash(reason.getTier()), evidence(reason.getEvidence()));
    }

    out.println();
    out.println("Tiers");
    out.printf("  %-8s %-13s %10s  %-40s %s%n", "TIER", "STATE", "LATENCY", "MODEL", "DETAIL");
    for (TierStatus tier : response.getTiersList()) {
      out.printf(
          "  %-8s %-13s %10s  %-40s %s%n",
          tier.getTier(),
          tier.getState().name(),
          tier.getLatencyMicros() > 0 ? latency(tier.getLatencyMicros()) : "-",
          model(tier.getModel()),
          truncate(tier.getDetail()));
    }
    out.flush();
  }

  static String evidence(Evidence evidence) {
    StringBuilder text = new StringBuilder(evidence.getKind().name());
    if (!evidence.getDetail().isEmpty()) {
      String detail = truncate(evidence.getDetail());
      text.append(' ').append(evidence.getKind() == Evidence.Kind.TEXT_SPAN ? '"' + detail + '"' : detail);
    }
    if (evidence.getWeight() != 0) {
      text.append(String.format(Locale.ROOT, " (weight %+.3f)", evidence.getWeight()));
    }
    if (!evidence.getSource().isEmpty()) {
      text.append(" [").append(evidence.getSource()).append(']');
    }
    return text.toString();
  }

  private static String categoryAction(CategoryVerdict v) {
    return switch (v.getAction()) {
      case ACTION_ALLOW -> "allow";
      case ACTION_BLOCK -> "block";
      case ACTION_ALERT -> "alert";
      default -> "-";
    };
  }

  private static String model(ModelInfo model) {
    if (model.getName().isEmpty() && model.getVersion().isEmpty()) {
      return "-";
    }
    String text = model.getName() + (model.getVersion().isEmpty() ? "" : " " + model.getVersion());
    if (!model.getDatasetVersion().isEmpty()) {
      text += " (" + model.getDatasetVersion() + ")";
    }
    return text;
  }

  static String latency(long micros) {
    return micros < 1_000
        ? micros + " us"
        : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  private static String truncate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL - 3) + "...";
  }

  private static String orDash(String text) {
    return text == null || text.isEmpty() ? "-" : text;
  }
}
