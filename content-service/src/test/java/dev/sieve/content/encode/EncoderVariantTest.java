package dev.sieve.content.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The encoder a head was trained on is part of its identity: ids, windows, pooling and chunk sizes.
 */
class EncoderVariantTest {

  @Test
  void everySpellingTheCliAcceptsNamesOneVariant() {
    assertThat(EncoderVariant.parse("quantized")).isEqualTo(EncoderVariant.QUANTIZED);
    assertThat(EncoderVariant.parse("INT8")).isEqualTo(EncoderVariant.QUANTIZED);
    assertThat(EncoderVariant.parse("all-minilm-l6-v2-q")).isEqualTo(EncoderVariant.QUANTIZED);
    assertThat(EncoderVariant.parse("fp32")).isEqualTo(EncoderVariant.FP32);
    assertThat(EncoderVariant.parse("bge")).isEqualTo(EncoderVariant.BGE_SMALL_Q);
    assertThat(EncoderVariant.parse("BGE-Small")).isEqualTo(EncoderVariant.BGE_SMALL_Q);
    assertThat(EncoderVariant.parse("bge-small-en-v1.5-q")).isEqualTo(EncoderVariant.BGE_SMALL_Q);
    assertThatThrownBy(() -> EncoderVariant.parse("bert"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown encoder variant 'bert' (quantized|fp32|bge-small)");
  }

  @Test
  void encoderIdsNameWeightsPoolingAndWindow() {
    assertThat(EncoderVariant.QUANTIZED.encoderId()).isEqualTo("all-minilm-l6-v2-q/mean/128");
    assertThat(EncoderVariant.FP32.encoderId()).isEqualTo("all-minilm-l6-v2/mean/128");
    assertThat(EncoderVariant.BGE_SMALL_Q.encoderId()).isEqualTo("bge-small-en-v1.5-q/cls/512");
    assertThat(EncoderVariant.BGE_SMALL_Q.pooling()).isEqualTo(EncoderVariant.Pooling.CLS);
    assertThat(EncoderVariant.QUANTIZED.pooling()).isEqualTo(EncoderVariant.Pooling.MEAN);
    for (EncoderVariant v : EncoderVariant.values()) {
      assertThat(EncoderVariant.byEncoderId(v.encoderId())).contains(v);
    }
    // The id the released MiniLM heads were trained under is still recognised.
    assertThat(EncoderVariant.byEncoderId("all-minilm-l6-v2-q/mean/128"))
        .contains(EncoderVariant.QUANTIZED);
    assertThat(EncoderVariant.byEncoderId("bge-small-en-v1.5-q/mean/512")).isEmpty();
  }

  @Test
  void chunksFitTheTokenWindow() {
    assertThat(EncoderVariant.QUANTIZED.maxTokens()).isEqualTo(128);
    assertThat(EncoderVariant.QUANTIZED.wordsPerChunk()).isEqualTo(90);
    assertThat(EncoderVariant.FP32.wordsPerChunk()).isEqualTo(90);
    assertThat(EncoderVariant.BGE_SMALL_Q.maxTokens()).isEqualTo(512);
    assertThat(EncoderVariant.BGE_SMALL_Q.wordsPerChunk()).isEqualTo(350);
    // About 1.3 word pieces per English word plus [CLS] and [SEP] must fit.
    for (EncoderVariant v : EncoderVariant.values()) {
      assertThat(Math.ceil(v.wordsPerChunk() * 1.3) + 2)
          .as(v.name())
          .isLessThanOrEqualTo(v.maxTokens());
    }
  }
}
