package dev.sieve.eval.scoring;

import com.google.protobuf.ByteString;
import dev.sieve.eval.Example;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.proto.v1.CategoryVerdict;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Predictions from the router's public Classifier with a tiers filter (e.g. only "url"), cache
 * bypassed: evaluates a deployed fleet exactly as the filtering stack sees it. A verdict with no
 * contributing tier is "no opinion".
 */
public final class ClassifierSource implements PredictionSource {

  private final ManagedChannel channel;
  private final ClassifierGrpc.ClassifierBlockingStub stub;
  private final List<String> tiers;
  private final Duration deadline;
  private final int concurrency;
  private final String target;

  public ClassifierSource(String target, List<String> tiers, Duration deadline, int concurrency) {
    this(ManagedChannelBuilder.forTarget(target).usePlaintext().build(), target, tiers, deadline, concurrency);
  }

  public ClassifierSource(
      ManagedChannel channel, String target, List<String> tiers, Duration deadline, int concurrency) {
    this.channel = channel;
    this.stub = ClassifierGrpc.newBlockingStub(channel);
    this.tiers = List.copyOf(tiers);
    this.deadline = deadline;
    this.concurrency = concurrency;
    this.target = target;
  }

  @Override
  public String describe() {
    return "router Classifier at " + target + " (tiers " + (tiers.isEmpty() ? "all" : String.join(",", tiers))
        + ", cache bypassed)";
  }

  @Override
  public Predictions score(List<Example> examples, List<String> categories) {
    return ParallelScoring.run(examples, categories, concurrency, e -> {
      ClassifyRequest.Builder req = ClassifyRequest.newBuilder()
          .setRequestId(e.id()).setBypassCache(true).addAllTiers(tiers);
      if (DatasetExamples.isUrl(e)) {
        req.setUrl(e.input());
      } else {
        req.setText(ByteString.copyFromUtf8(e.input()));
      }
      ClassifyResponse resp;
      try {
        resp = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).classify(req.build());
      } catch (StatusRuntimeException ex) {
        throw new ParallelScoring.ScoreFailure(ex.getStatus().getCode(), ex.getStatus().getDescription(), ex);
      }
      Map<String, Double> out = new HashMap<>();
      for (CategoryVerdict v : resp.getCategoriesList()) {
        if (v.getTiersCount() > 0) {
          out.put(v.getCategory(), v.getScore());
        }
      }
      return out;
    }, describe());
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
