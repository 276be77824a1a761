package dev.sieve.content.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session-pool encoder must produce langchain4j's vectors (same graph, tokenizer, pooling). */
class OnnxSentenceEncoderTest {

  private static OnnxSentenceEncoder encoder;

  @BeforeAll
  static void load() {
    encoder =
        OnnxSentenceEncoder.load(OnnxSentenceEncoder.Options.cpuDefaults(EncoderVariant.QUANTIZED));
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void matchesLangChain4jEmbeddings() {
    List<String> texts =
        List.of(
            "Play online slots and win the jackpot at our casino tonight.",
            "The school library opens at eight; bring your student card.",
            "Ich gehe heute Abend ins Kino.",
            "word ".repeat(300).strip());
    float[][] ours = encoder.embed(texts);
    AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    for (int i = 0; i < texts.size(); i++) {
      float[] theirs = reference.embed(texts.get(i)).content().vector();
      assertThat(cosine(ours[i], theirs)).as("text %d", i).isGreaterThan(0.999);
    }
  }

  @Test
  void vectorsAreUnitLengthAndIndependentOfBatchNeighbours() {
    String text = "Buy cheap sneakers with free shipping.";
    float[] alone = encoder.embed(List.of(text))[0];
    float[][] withOthers =
        encoder.embed(
            List.of(
                "a much longer neighbour text that would need padding ".repeat(5), text, "short"));
    assertThat(alone).hasSize(384);
    double norm = 0;
    for (float v : alone) {
      norm += v * v;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, Offset.offset(1e-4));
    assertThat(withOthers[1]).containsExactly(alone);
  }

  @Test
  void longTextsAreCutAtTheTokenizerWindow() {
    long before = encoder.textsTruncated();
    encoder.embed(List.of("alpha beta gamma ".repeat(100)));
    assertThat(encoder.textsTruncated()).isEqualTo(before + 1);
    encoder.embed(List.of("a short text"));
    assertThat(encoder.textsTruncated()).isEqualTo(before + 1);
  }

  /**
   * bge-small-en-v1.5 pools the [CLS] token, not the mean: langchain4j's class is the reference.
   */
  @Test
  void bgeSmallUsesClsPoolingAndItsOwnWindowLikeLangChain4j() {
    try (OnnxSentenceEncoder bge =
        OnnxSentenceEncoder.load(
            new OnnxSentenceEncoder.Options(EncoderVariant.BGE_SMALL_Q, 1, 1, 1, false))) {
      assertThat(bge.id()).isEqualTo("bge-small-en-v1.5-q/cls/512");
      assertThat(bge.dimension()).isEqualTo(384);
      assertThat(bge.wordsPerChunk()).isEqualTo(350);
      List<String> texts =
          List.of(
              "Play online slots and win the jackpot at our casino tonight.",
              "The school library opens at eight; bring your student card.",
              // Over MiniLM's 128-piece window, inside BGE's 512: the whole text counts.
              "The water cycle moves water between oceans, air and land. ".repeat(20).strip());
      float[][] ours = bge.embed(texts);
      var reference = new BgeSmallEnV15QuantizedEmbeddingModel();
      for (int i = 0; i < texts.size(); i++) {
        float[] theirs = reference.embed(texts.get(i)).content().vector();
        assertThat(cosine(ours[i], theirs)).as("text %d", i).isGreaterThan(0.999);
      }
      long before = bge.textsTruncated();
      bge.embed(List.of(texts.get(2)));
      assertThat(bge.textsTruncated()).isEqualTo(before);
      // A different encoder from MiniLM: the same text is a different vector.
      assertThat(cosine(ours[0], encoder.embed(List.of(texts.get(0)))[0])).isLessThan(0.9);
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
