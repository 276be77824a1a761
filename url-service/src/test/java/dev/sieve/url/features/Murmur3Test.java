package dev.sieve.url.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Murmur3Test {

  @Test
  void matchesGuavaMurmur3OnUnencodedChars() {
    Random random = new Random(1);
    for (int i = 0; i < 5_000; i++) {
      int length = random.nextInt(40);
      char[] chars = new char[length + 6];
      for (int k = 0; k < chars.length; k++) {
        chars[k] =
            (char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000));
      }
      int from = random.nextInt(6);
      int seed = random.nextInt();
      String s = new String(chars, from, length);
      assertThat(Murmur3.hashChars(chars, from, length, seed))
          .as("'%s' seed %d", s, seed)
          .isEqualTo(Hashing.murmur3_32_fixed(seed).hashUnencodedChars(s).asInt());
    }
  }
}
