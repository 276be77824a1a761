package dev.sieve.core.grpc;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link TierScorer} as the gRPC {@code sieve.v1.Scorer} service.
 *
 * <p>Owns the parts every tier would otherwise re-implement (and get subtly different): work whose
 * deadline already expired is dropped with DEADLINE_EXCEEDED before any compute, {@link
 * ScoringException}s become their precise status, and an unexpected exception is logged once and
 * reported without leaking internals.
 */
public final class ScorerService extends ScorerGrpc.ScorerImplBase {

  private static final Logger log = LoggerFactory.getLogger(ScorerService.class);

  private final TierScorer scorer;

  public ScorerService(TierScorer scorer) {
    this.scorer = scorer;
  }

  @Override
  public void score(ScoreRequest request, StreamObserver<ScoreResponse> responses) {
    Context context = Context.current();
    Deadline deadline = context.getDeadline();
    if (context.isCancelled() || (deadline != null && deadline.isExpired())) {
      responses.onError(
          Status.DEADLINE_EXCEEDED
              .withDescription("deadline expired before the " + scorer.tier() + " tier started")
              .asRuntimeException());
      return;
    }
    ScoreResponse response;
    try {
      response = scorer.score(request);
    } catch (ScoringException e) {
      responses.onError(e.toStatus().asRuntimeException());
      return;
    } catch (RuntimeException e) {
      log.error("tier {} failed on request {}", scorer.tier(), request.getRequestId(), e);
      responses.onError(
          Status.INTERNAL
              .withDescription(scorer.tier() + " tier failed: " + e.getClass().getSimpleName())
              .asRuntimeException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<TierDescription> responses) {
    responses.onNext(scorer.describe());
    responses.onCompleted();
  }
}
