package dev.sieve.eval.scoring;

import com.google.protobuf.ByteString;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.Example;
import dev.sieve.eval.data.DatasetExamples;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ModelInfo;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.proto.v1.TierDescription;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predictions from a {@link TierScorer}: an in-process tier (via {@link ScorerFactory}) or a remote
 * tier's gRPC Scorer (via {@link GrpcTierScorer}). Requests are marked {@code forced} so the tier
 * scores everything it can, without its own uncertainty gating.
 */
public final class TierScorerSource implements PredictionSource {

  private final TierScorer scorer;
  private final String description;
  private final int concurrency;
  private final AutoCloseable closer;

  public TierScorerSource(
      TierScorer scorer, String description, int concurrency, AutoCloseable closer) {
    this.scorer = scorer;
    this.description = description;
    this.concurrency = concurrency;
    this.closer = closer;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Predictions score(List<Example> examples, List<String> categories) {
    Predictions p =
        ParallelScoring.run(
            examples,
            categories,
            concurrency,
            e -> {
              ScoreRequest.Builder req =
                  ScoreRequest.newBuilder()
                      .setRequestId(e.id())
                      .setForced(true)
                      .addAllCategories(categories);
              if (DatasetExamples.isUrl(e)) {
                req.setUrl(e.input());
              } else if (DatasetExamples.isHtml(e)) {
                req.setHtml(ByteString.copyFromUtf8(e.input()));
              } else {
                req.setText(ByteString.copyFromUtf8(e.input()));
              }
              ScoreResponse resp;
              try {
                resp = scorer.score(req.build());
              } catch (ScoringException ex) {
                throw new ParallelScoring.ScoreFailure(ex.code(), ex.getMessage(), ex);
              } catch (StatusRuntimeException ex) {
                throw new ParallelScoring.ScoreFailure(
                    ex.getStatus().getCode(), ex.getStatus().getDescription(), ex);
              } catch (RuntimeException ex) {
                throw new ParallelScoring.ScoreFailure(
                    Status.Code.INTERNAL, String.valueOf(ex), ex);
              }
              Map<String, Double> out = new HashMap<>();
              for (CategoryScore cs : resp.getScoresList()) {
                out.put(cs.getCategory(), cs.getScore());
              }
              return out;
            },
            description);
    return new Predictions(p.scores(), p.rejected(), model());
  }

  /** The tier's own description (model lineage and the categories it scores), when it answers. */
  public Optional<TierDescription> description() {
    try {
      return Optional.of(scorer.describe());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Lineage from the tier's Describe. */
  public Optional<ModelInfo> model() {
    try {
      ModelInfo m = scorer.describe().getModel();
      return m.getName().isEmpty() ? Optional.empty() : Optional.of(m);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (closer != null) {
      try {
        closer.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + description, e);
      }
    }
  }
}
