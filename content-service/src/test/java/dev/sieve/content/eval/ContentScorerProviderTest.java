package dev.sieve.content.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sieve.content.TestModels;
import dev.sieve.content.encode.EncoderVariant;
import dev.sieve.content.encode.OnnxMiniLmEncoder;
import dev.sieve.core.scoring.TierScorer;
import dev.sieve.eval.scoring.ScorerContext;
import dev.sieve.eval.scoring.ScorerFactory;
import dev.sieve.proto.v1.ScoreRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval module finds the content tier through ServiceLoader and scores through the serving code. */
class ContentScorerProviderTest {

  @Test
  void evalFindsAndRunsTheContentTier(@TempDir Path dir) throws Exception {
    try (OnnxMiniLmEncoder encoder =
        OnnxMiniLmEncoder.load(new OnnxMiniLmEncoder.Options(EncoderVariant.QUANTIZED, 1, 1, 1, false))) {
      TestModels.tinyModel(dir, encoder);
    }
    assertThat(ScorerFactory.available()).contains("content");
    TierScorer scorer = ScorerFactory.create("content", ScorerContext.of(Path.of("."), dir));
    try {
      assertThat(scorer.tier()).isEqualTo("content");
      assertThat(scorer.score(ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8("Spin the slots")).build())
          .getScoresCount()).isEqualTo(2);
    } finally {
      ((AutoCloseable) scorer).close();
    }
  }
}
