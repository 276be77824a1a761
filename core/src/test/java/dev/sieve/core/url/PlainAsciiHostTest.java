package dev.sieve.core.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.IDN;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The normalizer skips IDN.toASCII / toUnicode for plain ASCII hosts ({@link
 * UrlNormalizer#isPlainAsciiHost}): this holds that shortcut to what IDN itself returns, and that
 * hosts outside it still get IDN's answer and errors.
 */
class PlainAsciiHostTest {

  private static final String ALPHABET = "abcxyz019-_.";

  @Test
  void idnLeavesEveryPlainHostUnchanged() {
    Random random = new Random(12);
    int plain = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder host = new StringBuilder();
      int length = 1 + random.nextInt(n % 50 == 0 ? 80 : 20);
      for (int i = 0; i < length; i++) {
        host.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String h = host.toString();
      if (UrlNormalizer.isPlainAsciiHost(h)) {
        plain++;
        assertThat(IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT))
            .as(h)
            .isEqualTo(h);
        assertThat(IDN.toUnicode(h, IDN.ALLOW_UNASSIGNED)).as(h).isEqualTo(h);
      }
    }
    assertThat(plain).isGreaterThan(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "a..b", ".a", "a.", "Example.com", "b\u00fccher.de", "a b.com"})
  void notPlain(String host) {
    assertThat(UrlNormalizer.isPlainAsciiHost(host)).isFalse();
  }

  @Test
  void labelLengthLimitIsIdnsOwn() {
    String label63 = "a".repeat(63);
    assertThat(UrlNormalizer.isPlainAsciiHost(label63 + ".com")).isTrue();
    assertThat(UrlNormalizer.isPlainAsciiHost(label63 + "a.com")).isFalse();
  }

  @Test
  void hostsOutsideTheShortcutKeepTheirResults() throws Exception {
    UrlNormalizer normalizer = UrlNormalizer.instance();
    assertThat(normalizer.normalize("http://B\u00fccher.de/").host()).isEqualTo("xn--bcher-kva.de");
    assertThat(normalizer.normalize("http://xn--bcher-kva.de/").canonical())
        .isEqualTo("http://xn--bcher-kva.de/");
    assertThatThrownBy(() -> normalizer.normalize("http://a..b/"))
        .hasMessageContaining("not a valid internationalized name");
    assertThatThrownBy(() -> normalizer.normalize("http://" + "a".repeat(64) + ".com/"))
        .hasMessageContaining("not a valid internationalized name");
  }
}
