package dev.sieve.llm.embedded;

/** Small vector helpers for unit-length embeddings. */
public final class Vectors {

  private Vectors() {}

  /** Dot product; the cosine for unit vectors. */
  public static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** A unit-length copy (the encoder already normalizes; this keeps the invariant explicit). */
  public static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = v.clone();
    if (norm > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (out[i] / norm);
      }
    }
    return out;
  }
}
