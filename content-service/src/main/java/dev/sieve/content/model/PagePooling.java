package dev.sieve.content.model;

/**
 * Pools a page's chunk embeddings into one feature vector: [mean, max] over chunks, scaled.
 *
 * <p>Mean says what the page is mostly about; max keeps one explicit paragraph from being averaged
 * away by a long harmless page (and lets a single chunk be scored alone for evidence: for one chunk
 * mean = max). The scale sqrt(dim) brings the unit-norm embeddings' components (~1/sqrt(dim)) to
 * unit variance, which the head's default initialization expects.
 */
public final class PagePooling {

  private PagePooling() {}

  public static float scale(int dimension) {
    return (float) Math.sqrt(dimension);
  }

  /**
   * Pooled features of the chunks {@code from..to} of {@code embeddings}, written to {@code out}.
   */
  public static void meanMax(
      float[][] embeddings, int from, int to, float scale, float[] out, int offset) {
    int dim = embeddings[from].length;
    int n = to - from;
    for (int d = 0; d < dim; d++) {
      float sum = 0f;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = from; i < to; i++) {
        float v = embeddings[i][d];
        sum += v;
        if (v > max) {
          max = v;
        }
      }
      out[offset + d] = sum / n * scale;
      out[offset + dim + d] = max * scale;
    }
  }

  /** Pooled features of all chunks of one page. */
  public static float[] meanMax(float[][] embeddings, float scale) {
    float[] out = new float[2 * embeddings[0].length];
    meanMax(embeddings, 0, embeddings.length, scale, out, 0);
    return out;
  }
}
