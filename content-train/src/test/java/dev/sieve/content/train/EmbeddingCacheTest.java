package dev.sieve.content.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

  private static float[] vector(float first) {
    float[] v = new float[4];
    v[0] = first;
    return v;
  }

  @Test
  void vectorsSurviveReopeningAndATornTailIsRepaired(@TempDir Path dir) throws Exception {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "enc/a", 4)) {
      cache.put("one", vector(1));
      cache.put("two", vector(2));
    }
    Path file = dir.resolve("enc_a.vec");
    // Simulate a run killed in the middle of a record.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 3);
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "enc/a", 4)) {
      assertThat(cache.get("one")).containsExactly(vector(1));
      assertThat(cache.get("two")).isNull();
      cache.put("three", vector(3));
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "enc/a", 4)) {
      assertThat(cache.size()).isEqualTo(2);
      assertThat(cache.get("three")).containsExactly(vector(3));
    }
    // Another encoder never sees these vectors.
    try (EmbeddingCache other = EmbeddingCache.open(dir, "enc/b", 4)) {
      assertThat(other.get("one")).isNull();
    }
    assertThat(Files.list(dir).count()).isEqualTo(1);
  }
}
