package dev.sieve.eval.explain;

import com.google.protobuf.ByteString;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.eval.explain.ProposedAction.Action;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.Reason;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Root-cause analysis of one verdict: asks the router (every tier, cache bypassed) for the verdict
 * and its evidence, finds the nearest training examples with their label provenance, and proposes
 * an action by {@link ActionRules}.
 */
public final class Explainer {

  private Explainer() {}

  /** The router's answer or why there is none. */
  public record RouterAnswer(Optional<ClassifyResponse> response, String error) {}

  /** Calls the Classifier at {@code target} with every tier named and the cache bypassed. */
  public static RouterAnswer classify(
      String target,
      String url,
      String text,
      List<String> tiers,
      String tenant,
      Duration deadline) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      ClassifyRequest.Builder req =
          ClassifyRequest.newBuilder()
              .setBypassCache(true)
              .addAllTiers(tiers)
              .setTenantId(tenant == null ? "" : tenant)
              .setRequestId("explain-" + Integer.toHexString((url + text).hashCode()));
      if (url != null && !url.isEmpty()) {
        req.setUrl(url);
      }
      if (text != null && !text.isEmpty()) {
        req.setText(ByteString.copyFromUtf8(text));
      }
      ClassifyResponse resp =
          ClassifierGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .classify(req.build());
      return new RouterAnswer(Optional.of(resp), "");
    } catch (StatusRuntimeException e) {
      String hint =
          e.getStatus().getCode() == Status.Code.UNAVAILABLE
              ? " (is the router running? start it with ./sieve up)"
              : "";
      return new RouterAnswer(
          Optional.empty(),
          "router at "
              + target
              + " answered "
              + e.getStatus().getCode()
              + ": "
              + e.getStatus().getDescription()
              + hint);
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Builds the explanation.
   *
   * @param index nearest-neighbour index over the current dataset's train split, or null
   * @param expected what the verdict should be (null = not stated)
   */
  public static Explanation explain(
      String url,
      String text,
      Set<String> expected,
      RouterAnswer answer,
      NeighbourIndex index,
      String datasetVersion,
      ActionRules rules,
      int k) {
    String host = "";
    String registered = "";
    if (url != null && !url.isEmpty()) {
      try {
        NormalizedUrl n = UrlNormalizer.instance().normalize(url);
        host = n.host();
        registered = n.registeredDomain();
      } catch (UrlRejectedException e) {
        host = "";
      }
    }
    Focus focus = focus(answer.response(), expected);
    List<Neighbour> neighbours = new ArrayList<>();
    if (index != null) {
      if (!host.isEmpty()) {
        neighbours.addAll(index.nearestHosts(host, registered, k));
      }
      if (text != null && !text.isBlank()) {
        neighbours.addAll(index.nearestTexts(text, k));
      }
    }
    List<Evidence> evidence =
        answer
            .response()
            .map(r -> r.getReasonsList().stream().map(Reason::getEvidence).toList())
            .orElse(List.of());
    ProposedAction action =
        focus.kind().equals("agrees")
            ? new ProposedAction(Action.NO_ACTION, "R0", "the verdict matches the expectation")
            : rules.decide(
                focus, evidence, neighbours, index == null ? h -> Optional.empty() : index::listed);
    return new Explanation(
        url == null ? "" : url,
        text == null ? "" : text,
        expected,
        answer.response(),
        answer.error(),
        host,
        registered,
        focus,
        neighbours,
        datasetVersion,
        action);
  }

  static Focus focus(Optional<ClassifyResponse> response, Set<String> expected) {
    if (response.isEmpty()) {
      if (expected != null && !expected.isEmpty()) {
        return new Focus(
            expected.stream().sorted().findFirst().get(), "false_negative", Double.NaN, Double.NaN);
      }
      return new Focus("", "verdict", Double.NaN, Double.NaN);
    }
    List<CategoryVerdict> verdicts = new ArrayList<>(response.get().getCategoriesList());
    verdicts.sort(
        Comparator.comparingDouble(CategoryVerdict::getScore)
            .reversed()
            .thenComparing(CategoryVerdict::getCategory));
    if (expected == null) {
      String primary = response.get().getPrimaryCategory();
      for (CategoryVerdict v : verdicts) {
        if (v.getCategory().equals(primary) || (primary.isEmpty() && v.getDecision())) {
          return new Focus(v.getCategory(), "verdict", v.getScore(), v.getThreshold());
        }
      }
      return new Focus("", "verdict", Double.NaN, Double.NaN);
    }
    for (CategoryVerdict v : verdicts) {
      if (v.getDecision() && !expected.contains(v.getCategory())) {
        return new Focus(v.getCategory(), "false_positive", v.getScore(), v.getThreshold());
      }
    }
    for (CategoryVerdict v : verdicts) {
      if (!v.getDecision() && expected.contains(v.getCategory())) {
        return new Focus(v.getCategory(), "false_negative", v.getScore(), v.getThreshold());
      }
    }
    return new Focus("", "agrees", Double.NaN, Double.NaN);
  }
}
