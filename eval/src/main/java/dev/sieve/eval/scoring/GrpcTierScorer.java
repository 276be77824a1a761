package dev.sieve.eval.scoring;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.proto.v1.DescribeRequest;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.ScorerGrpc;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A running tier's gRPC Scorer seen through the in-process {@link TierScorer} contract, so remote
 * and in-process evaluation share every line after the call.
 */
public final class GrpcTierScorer implements TierScorer, AutoCloseable {

  private final ManagedChannel channel;
  private final ScorerGrpc.ScorerBlockingStub stub;
  private final Duration deadline;
  private final String tier;

  public GrpcTierScorer(String target, Duration deadline) {
    this(ManagedChannelBuilder.forTarget(target).usePlaintext().build(), deadline);
  }

  public GrpcTierScorer(ManagedChannel channel, Duration deadline) {
    this.channel = channel;
    this.stub = ScorerGrpc.newBlockingStub(channel);
    this.deadline = deadline;
    this.tier = describe().getTier();
  }

  @Override
  public String tier() {
    return tier;
  }

  @Override
  public TierDescription describe() {
    return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .describe(DescribeRequest.getDefaultInstance());
  }

  @Override
  public ScoreResponse score(ScoreRequest request) throws ScoringException {
    try {
      return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).score(request);
    } catch (StatusRuntimeException e) {
      throw new ScoringException(e.getStatus().getCode(), e.getStatus().getDescription(), e);
    }
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
