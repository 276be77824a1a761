package dev.sieve.content.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The served n-gram model: per head output, a logistic regression over {@link NgramFeaturizer}
 * features, fused with the head's logit ({@code (1 - w) * head + w * ngram}, w per category chosen
 * on dev and stored in the configuration).
 *
 * <p>Why beside a sentence encoder: the frozen MiniLM embeds short user texts poorly and cannot see
 * the explicit words that settle many cases ("porn", "kill myself"); hashed n-grams can, for tens
 * of microseconds. Measured on dev, the fusion raised AUPRC for adult, violence, self_harm and hate
 * (model card, training report).
 *
 * <p>Artifact ({@value #FILE}, gzipped): magic, hash bits, outputs; idf per bucket as unsigned
 * 8-bit steps of {@value #IDF_STEP}; per output a bias, a scale and one signed byte per bucket
 * (weights quantized symmetrically to 127 steps of max |w|). The trainer scores with the quantized
 * model it writes, so the card measures what serves.
 */
public final class NgramModel {

  public static final String FILE = "ngram-weights.bin.gz";
  private static final int MAGIC = 0x53474e31; // "SGN1"
  static final float IDF_STEP = 0.05f;

  private final NgramFeaturizer featurizer;
  private final float[] idf;
  private final byte[][] weights;
  private final float[] scales;
  private final float[] bias;

  public NgramModel(int hashBits, float[] idf, float[][] weights, float[] bias) {
    this.featurizer = new NgramFeaturizer(hashBits);
    int size = featurizer.size();
    if (idf.length != size) {
      throw new IllegalArgumentException("idf has " + idf.length + " buckets, expected " + size);
    }
    this.idf = new float[size];
    for (int i = 0; i < size; i++) {
      this.idf[i] = Math.min(255, Math.round(idf[i] / IDF_STEP)) * IDF_STEP;
    }
    this.weights = new byte[weights.length][];
    this.scales = new float[weights.length];
    this.bias = bias.clone();
    for (int k = 0; k < weights.length; k++) {
      float max = 0;
      for (float w : weights[k]) {
        max = Math.max(max, Math.abs(w));
      }
      scales[k] = max == 0 ? 0 : max / 127f;
      this.weights[k] = new byte[size];
      for (int i = 0; i < size; i++) {
        this.weights[k][i] = scales[k] == 0 ? 0 : (byte) Math.round(weights[k][i] / scales[k]);
      }
    }
  }

  private NgramModel(
      NgramFeaturizer featurizer, float[] idf, byte[][] weights, float[] scales, float[] bias) {
    this.featurizer = featurizer;
    this.idf = idf;
    this.weights = weights;
    this.scales = scales;
    this.bias = bias;
  }

  public int outputs() {
    return bias.length;
  }

  /** One logit per output for {@code text}. */
  public double[] logits(String text) {
    NgramFeaturizer.Sparse s = featurizer.features(text, idf);
    double[] out = new double[bias.length];
    for (int k = 0; k < bias.length; k++) {
      double z = 0;
      byte[] w = weights[k];
      for (int f = 0; f < s.index().length; f++) {
        z += w[s.index()[f]] * s.value()[f];
      }
      out[k] = bias[k] + scales[k] * z;
    }
    return out;
  }

  public void write(Path file) {
    try (DataOutputStream out =
        new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(Integer.numberOfTrailingZeros(featurizer.size()));
      out.writeInt(bias.length);
      for (float v : idf) {
        out.writeByte(Math.round(v / IDF_STEP));
      }
      for (int k = 0; k < bias.length; k++) {
        out.writeFloat(bias[k]);
        out.writeFloat(scales[k]);
        out.write(weights[k]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static NgramModel read(Path file) {
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalStateException(file + " is not an n-gram model");
      }
      int bits = in.readInt();
      int outputs = in.readInt();
      NgramFeaturizer featurizer = new NgramFeaturizer(bits);
      float[] idf = new float[featurizer.size()];
      for (int i = 0; i < idf.length; i++) {
        idf[i] = in.readUnsignedByte() * IDF_STEP;
      }
      float[] bias = new float[outputs];
      float[] scales = new float[outputs];
      byte[][] weights = new byte[outputs][featurizer.size()];
      for (int k = 0; k < outputs; k++) {
        bias[k] = in.readFloat();
        scales[k] = in.readFloat();
        in.readFully(weights[k]);
      }
      return new NgramModel(featurizer, idf, weights, scales, bias);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
