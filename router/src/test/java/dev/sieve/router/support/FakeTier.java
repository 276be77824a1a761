package dev.sieve.router.support;

import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A test-double tier speaking the real {@code sieve.v1.Scorer} contract. Its behaviour per call is
 * a function from the request to a {@link Reply}: answer, fail with a status, or never answer (hang
 * until the caller's deadline).
 */
public final class FakeTier extends ScorerGrpc.ScorerImplBase {

  /** What the fake does for one call. */
  public sealed interface Reply permits Answer, Fail, Hang {}

  public record Answer(ScoreResponse response) implements Reply {}

  public record Fail(Status status) implements Reply {}

  public record Hang() implements Reply {}

  private final String name;
  private volatile Function<ScoreRequest, Reply> behaviour;
  private volatile List<String> categories;
  private final List<ScoreRequest> requests = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<ScoreResponse>> hanging = new CopyOnWriteArrayList<>();

  public FakeTier(String name, List<String> categories) {
    this.name = name;
    this.categories = categories;
    this.behaviour = request -> new Answer(response(Map.of()));
  }

  public String name() {
    return name;
  }

  public FakeTier behave(Function<ScoreRequest, Reply> behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  /** Always answers these scores. */
  public FakeTier answer(Map<String, Double> scores) {
    ScoreResponse response = response(scores);
    return behave(request -> new Answer(response));
  }

  public FakeTier answer(ScoreResponse response) {
    return behave(request -> new Answer(response));
  }

  public FakeTier fail(Status status) {
    return behave(request -> new Fail(status));
  }

  public FakeTier hang() {
    return behave(request -> new Hang());
  }

  public FakeTier describes(List<String> categories) {
    this.categories = categories;
    return this;
  }

  public List<ScoreRequest> requests() {
    return requests;
  }

  public int calls() {
    return requests.size();
  }

  /** Fails every hanging call (cleanup). */
  public void releaseHanging() {
    for (StreamObserver<ScoreResponse> observer : hanging) {
      try {
        observer.onError(Status.UNAVAILABLE.withDescription("test over").asRuntimeException());
      } catch (RuntimeException ignored) {
        // already cancelled
      }
    }
    hanging.clear();
  }

  public ModelInfo model() {
    return ModelInfo.newBuilder()
        .setName(name + "-model")
        .setVersion("1.0.0")
        .setConfigHash("abc123")
        .setDatasetVersion("ds-2025-01")
        .build();
  }

  /** A response with plain (non-definitive) scores and one FEATURE evidence each. */
  public ScoreResponse response(Map<String, Double> scores) {
    ScoreResponse.Builder builder = ScoreResponse.newBuilder().setTier(name).setModel(model());
    for (String id : new TreeSet<>(scores.keySet())) {
      builder.addScores(
          CategoryScore.newBuilder()
              .setCategory(id)
              .setScore(scores.get(id))
              .addEvidence(
                  Evidence.newBuilder()
                      .setKind(Evidence.Kind.KIND_FEATURE)
                      .setCategory(id)
                      .setDetail(name + " feature for " + id)
                      .setWeight(1.0)));
    }
    return builder.build();
  }

  /** A definitive list match for {@code category} with the matched entry as evidence. */
  public static CategoryScore listMatch(String category, String entry, String list) {
    return CategoryScore.newBuilder()
        .setCategory(category)
        .setScore(1.0)
        .setDefinitive(true)
        .addEvidence(
            Evidence.newBuilder()
                .setKind(Evidence.Kind.KIND_LIST_MATCH)
                .setCategory(category)
                .setDetail(entry)
                .setSource(list))
        .build();
  }

  @Override
  public void score(ScoreRequest request, StreamObserver<ScoreResponse> responses) {
    requests.add(request);
    Reply reply = behaviour.apply(request);
    switch (reply) {
      case Answer answer -> {
        responses.onNext(answer.response());
        responses.onCompleted();
      }
      case Fail failure -> responses.onError(failure.status().asRuntimeException());
      case Hang hang -> hanging.add(responses);
    }
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<TierDescription> responses) {
    responses.onNext(
        TierDescription.newBuilder()
            .setTier(name)
            .setModel(model())
            .addAllCategories(categories)
            .build());
    responses.onCompleted();
  }

  /** Convenience: a list of ids. */
  public static List<String> ids(String... ids) {
    return new ArrayList<>(List.of(ids));
  }
}
