package dev.sieve.url.train;

import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.url.features.FeatureBuffer;
import dev.sieve.url.features.UrlFeaturizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The hashed features of every example (compressed sparse rows of bucket indices), extracted once
 * per feature configuration and reused for all epochs and categories.
 *
 * <p>Each host goes through exactly the serving path: {@link UrlNormalizer#normalizeHost} then
 * {@link UrlFeaturizer#featurize}, so a row here is the feature vector the service computes for
 * {@code http://<host>/}. Hosts the normalizer rejects get an empty row and are counted.
 */
public final class FeatureMatrix {

  final int[] start;
  final int[] buckets;
  final int rejected;

  private FeatureMatrix(int[] start, int[] buckets, int rejected) {
    this.start = start;
    this.buckets = buckets;
    this.rejected = rejected;
  }

  /**
   * Normalizes and featurizes every host, in {@code threads} contiguous chunks (order preserved).
   */
  public static FeatureMatrix build(
      DomainExamples examples, UrlFeaturizer featurizer, int threads) {
    int n = examples.size();
    int chunks = Math.max(1, threads);
    int per = (n + chunks - 1) / chunks;
    ExecutorService pool = Executors.newFixedThreadPool(chunks);
    try {
      List<Future<Object[]>> parts = new ArrayList<>();
      for (int c = 0; c < chunks; c++) {
        int from = Math.min(n, c * per);
        int to = Math.min(n, from + per);
        parts.add(pool.submit(() -> chunk(examples, featurizer, from, to)));
      }
      int[] start = new int[n + 1];
      IntList all = new IntList();
      int rejected = 0;
      int row = 0;
      for (Future<Object[]> f : parts) {
        Object[] part = f.get();
        int[] lengths = (int[]) part[0];
        IntList feats = (IntList) part[1];
        rejected += (Integer) part[2];
        int offset = all.size();
        int[] flat = feats.toArray();
        all.addAll(flat, flat.length);
        int pos = offset;
        for (int len : lengths) {
          start[row++] = pos;
          pos += len;
        }
      }
      start[n] = all.size();
      return new FeatureMatrix(start, all.toArray(), rejected);
    } catch (Exception e) {
      throw new IllegalStateException("featurization failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Object[] chunk(
      DomainExamples examples, UrlFeaturizer featurizer, int from, int to) {
    UrlNormalizer normalizer = UrlNormalizer.instance();
    FeatureBuffer buffer = featurizer.newBuffer();
    int[] lengths = new int[to - from];
    IntList feats = new IntList();
    int rejected = 0;
    for (int i = from; i < to; i++) {
      NormalizedUrl url;
      try {
        url = normalizer.normalizeHost(examples.host(i), "http");
      } catch (UrlRejectedException e) {
        rejected++;
        continue;
      }
      featurizer.featurize(url, buffer);
      for (int k = 0; k < buffer.size(); k++) {
        feats.add(buffer.bucket(k));
      }
      lengths[i - from] = buffer.size();
    }
    return new Object[] {lengths, feats, rejected};
  }

  public int rows() {
    return start.length - 1;
  }

  /** Hosts the normalizer rejected (empty rows). */
  public int rejected() {
    return rejected;
  }

  public int rowStart(int i) {
    return start[i];
  }

  public int rowEnd(int i) {
    return start[i + 1];
  }

  public int[] buckets() {
    return buckets;
  }

  /** The buckets of row {@code i}. */
  public int[] row(int i) {
    return Arrays.copyOfRange(buckets, start[i], start[i + 1]);
  }

  public long nonZeros() {
    return buckets.length;
  }
}
