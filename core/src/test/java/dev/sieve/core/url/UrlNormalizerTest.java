package dev.sieve.core.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlNormalizerTest {

  private final UrlNormalizer normalizer = UrlNormalizer.instance();

  private NormalizedUrl n(String raw) throws UrlRejectedException {
    return normalizer.normalize(raw);
  }

  @ParameterizedTest
  @CsvSource({
    "https://www.pokerstars.com/, https://www.pokerstars.com/",
    "HTTP://WWW.Example.COM, http://www.example.com/",
    "example.com/a/b?x=1#frag, http://example.com/a/b?x=1",
    "http://example.com:80/, http://example.com/",
    "https://example.com:443/x, https://example.com/x",
    "https://example.com:8443/x, https://example.com:8443/x",
    "http://example.com./, http://example.com/",
    "http://example.com/a/./b/../c, http://example.com/a/c",
    "http://example.com/%7Euser/%2f, http://example.com/~user/%2F",
    "http://example.com/a b, http://example.com/a%20b",
    "//cdn.example.com/x, http://cdn.example.com/x",
    "http:\\\\example.com\\path, http://example.com/path",
    "http://3232235777/, http://192.168.1.1/",
    "http://[::1]:8080/x, http://[::1]:8080/x",
  })
  void canonicalForms(String raw, String expected) throws Exception {
    assertThat(n(raw).canonical()).isEqualTo(expected);
  }

  @Test
  void userinfoTrickResolvesToRealHost() throws Exception {
    NormalizedUrl url = n("http://school.edu@evil.example.com/login");
    assertThat(url.host()).isEqualTo("evil.example.com");
    assertThat(url.hadUserinfo()).isTrue();
    assertThat(url.registeredDomain()).isEqualTo("example.com");
  }

  @Test
  void registeredDomainUsesPublicSuffixList() throws Exception {
    assertThat(n("https://a.b.bbc.co.uk/news").registeredDomain()).isEqualTo("bbc.co.uk");
    assertThat(n("https://a.b.bbc.co.uk/news").publicSuffix()).isEqualTo("co.uk");
    // private suffix: each blog is its own site, but parent matching may go up to blogspot.com
    NormalizedUrl blog = n("https://someone.blogspot.com/");
    assertThat(blog.registeredDomain()).isEqualTo("someone.blogspot.com");
    assertThat(blog.registrableDomain()).isEqualTo("blogspot.com");
  }

  @Test
  void idnHostsBecomePunycodeAndDisplayAsUnicode() throws Exception {
    NormalizedUrl url = n("https://bücher.de/");
    assertThat(url.host()).isEqualTo("xn--bcher-kva.de");
    assertThat(url.unicodeHost()).isEqualTo("bücher.de");
  }

  @Test
  void percentEncodedHostIsDecoded() throws Exception {
    assertThat(n("http://%65xample.com/").host()).isEqualTo("example.com");
  }

  @Test
  void ipLiteralsAreFlagged() throws Exception {
    assertThat(n("http://10.0.0.1/x").ipLiteral()).isTrue();
    assertThat(n("http://[2001:db8::1]/").host()).isEqualTo("2001:db8::1");
  }

  @Test
  void queryIsRedactedForLogs() throws Exception {
    assertThat(n("https://example.com/search?q=student+name").redacted())
        .isEqualTo("https://example.com/search?<redacted>");
  }

  @ParameterizedTest
  @CsvSource({
    "'', EMPTY",
    "'   ', EMPTY",
    "javascript:alert(1), UNSUPPORTED_SCHEME",
    "'data:text/html;base64,AAAA', UNSUPPORTED_SCHEME",
    "mailto:someone@example.com, UNSUPPORTED_SCHEME",
    "gopher://example.com/, UNSUPPORTED_SCHEME",
    "http:///, EMPTY_HOST",
    "http://exa mple.com/, MALFORMED_HOST",
    "http://example.com:99999/, MALFORMED_PORT",
    "http://example.com:abc/, MALFORMED_PORT",
    "http://[::1/, MALFORMED_HOST",
    "http://a..b.com/, MALFORMED_HOST",
    // An IPv6 zone id reached as a bare host (found by the fuzz run: Guava looked the interface
    // name up and threw IllegalArgumentException instead of a rejection).
    "'2::%25H%EF%BF%89%EF%BF%BF%EF%BF%A6:01', MALFORMED_HOST",
  })
  void rejections(String raw, UrlRejectedException.Reason reason) {
    assertThatThrownBy(() -> n(raw))
        .isInstanceOf(UrlRejectedException.class)
        .extracting(e -> ((UrlRejectedException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void controlCharactersAreRejected() {
    assertThatThrownBy(() -> n("http://example.com/\u0000x"))
        .isInstanceOf(UrlRejectedException.class)
        .extracting(e -> ((UrlRejectedException) e).reason())
        .isEqualTo(UrlRejectedException.Reason.CONTROL_CHARACTERS);
  }

  @Test
  void overlongUrlsAreRejected() {
    String raw = "http://example.com/" + "a".repeat(UrlNormalizer.MAX_URL_BYTES);
    assertThatThrownBy(() -> n(raw))
        .isInstanceOf(UrlRejectedException.class)
        .extracting(e -> ((UrlRejectedException) e).reason())
        .isEqualTo(UrlRejectedException.Reason.TOO_LONG);
  }

  @Test
  void multibyteLengthIsMeasuredInBytes() {
    // 3000 three-byte characters = 9000 bytes > 8 KiB, though only 3000 chars
    String raw = "http://example.com/" + "€".repeat(3000);
    assertThatThrownBy(() -> n(raw)).isInstanceOf(UrlRejectedException.class);
  }

  @Test
  void bareHostsFromListsNormalizeLikeRequests() throws Exception {
    assertThat(normalizer.normalizeHost("WWW.PokerStars.com.", "http").host())
        .isEqualTo("www.pokerstars.com");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // Every form a browser (WHATWG URL host parser) resolves to 127.0.0.1.
    "http://2130706433/, 127.0.0.1",
    "http://0x7f.1/, 127.0.0.1",
    "http://127.1/, 127.0.0.1",
    "http://0177.0.0.1/, 127.0.0.1",
    "http://0x7F000001/, 127.0.0.1",
    "http://0x7f.0.0.0x1/, 127.0.0.1",
    "http://017700000001/, 127.0.0.1",
    "http://127.0.1/, 127.0.0.1",
    "http://127.0.0.1./, 127.0.0.1",
    "http://0x7f.1:8080/x, 127.0.0.1",
    "http://%30x7f.1/, 127.0.0.1",
    "http://\uff11\uff12\uff17\uff0e0.0.1/, 127.0.0.1", // full-width digits and dot
    // Other addresses, and the parts that only look odd.
    "http://10.1/, 10.0.0.1",
    "http://192.168.257/, 192.168.1.1",
    "http://0/, 0.0.0.0",
    "http://0x/, 0.0.0.0",
    "http://4294967295/, 255.255.255.255",
  })
  void ipv4InShorthandHexAndOctalFormsIsTheDottedQuad(String raw, String host) throws Exception {
    NormalizedUrl url = n(raw);
    assertThat(url.host()).isEqualTo(host);
    assertThat(url.ipLiteral()).isTrue();
    assertThat(url.registeredDomain()).isEqualTo(host);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://4294967296/",
    "http://1.2.3.256/",
    "http://256.1.1.1/",
    "http://1.2.3.4.5/",
    "http://0x100.1/",
    "http://09.1.1.1/",
    "http://foo.123/",
    "http://example.0x7f/",
    "http://08.1.1.1/",
    "http://99999999999999999999999/",
  })
  void aHostEndingInANumberThatIsNoAddressIsRejectedAsBrowsersDo(String raw) {
    assertThatThrownBy(() -> n(raw))
        .isInstanceOf(UrlRejectedException.class)
        .extracting(e -> ((UrlRejectedException) e).reason())
        .isEqualTo(UrlRejectedException.Reason.MALFORMED_HOST);
  }

  @Test
  void namesThatMerelyContainDigitsStayNames() throws Exception {
    assertThat(n("http://123.example.com/").host()).isEqualTo("123.example.com");
    assertThat(n("http://0x7f.example/").ipLiteral()).isFalse();
    assertThat(n("http://a1.b2/").host()).isEqualTo("a1.b2");
    assertThat(n("http://1.0xg/").host())
        .as("0xg is no number: the last label decides")
        .isEqualTo("1.0xg");
  }
}
