package dev.sieve.router.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifyResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the router served for recent request ids, so that a {@code ReportVerdict} naming a request
 * id can be forwarded with the verdict it disputes (the app shows it to annotators).
 *
 * <p>Bounded in entries and age (Caffeine, size-based eviction), and deliberately small: the
 * tenant, the normalized URL, the action, the policy version and the category scores; no body, no
 * client address, nothing that identifies a student.
 */
public final class RecentVerdicts {

  /**
   * One served verdict, kept compact (about 300 bytes plus the URL: 50,000 entries are about 20
   * MB): category ids are the response's own strings, scores a primitive array.
   */
  public record Served(
      String tenantId,
      String normalizedUrl,
      Action action,
      String policyVersion,
      String[] categories,
      double[] values) {

    /** The per-category scores as the Feedback contract carries them. */
    public List<CategoryScore> scores() {
      List<CategoryScore> out = new ArrayList<>(categories.length);
      for (int i = 0; i < categories.length; i++) {
        out.add(CategoryScore.newBuilder().setCategory(categories[i]).setScore(values[i]).build());
      }
      return out;
    }
  }

  private final Cache<String, Served> byRequestId;

  /**
   * @param maxEntries 0 disables the map (reports are then forwarded without the served verdict)
   */
  public RecentVerdicts(long maxEntries, Duration maxAge) {
    this.byRequestId =
        maxEntries <= 0
            ? null
            : Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).build();
  }

  public void record(String tenantId, ClassifyResponse served) {
    if (byRequestId == null || served.getRequestId().isEmpty()) {
      return;
    }
    int n = served.getCategoriesCount();
    String[] categories = new String[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      CategoryVerdict v = served.getCategories(i);
      categories[i] = v.getCategory();
      values[i] = v.getScore();
    }
    byRequestId.put(
        served.getRequestId(),
        new Served(
            tenantId,
            served.getNormalizedUrl(),
            served.getAction(),
            served.getPolicyVersion(),
            categories,
            values));
  }

  /**
   * The verdict served for {@code requestId}, or null when unknown (never seen, evicted or
   * expired).
   */
  public Served get(String requestId) {
    return byRequestId == null || requestId.isEmpty() ? null : byRequestId.getIfPresent(requestId);
  }
}
