package dev.sieve.lab.data.domains;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostCleanerTest {

  private static HostCleaner.Result clean(String s) {
    return HostCleaner.clean(s);
  }

  @Test
  void plainHostsAreLowerCasedAndGetTheirRegisteredDomain() {
    HostCleaner.Result r = clean("  WWW.Example.CO.UK.  ");
    assertThat(r.valid()).isTrue();
    assertThat(r.host()).isEqualTo("www.example.co.uk");
    assertThat(r.registeredDomain()).isEqualTo("example.co.uk");
  }

  @Test
  void listSyntaxIsStripped() {
    assertThat(clean("0.0.0.0 hosts-style.com").host()).isEqualTo("hosts-style.com");
    assertThat(clean("127.0.0.1\tlocal-style.net").host()).isEqualTo("local-style.net");
    assertThat(clean("||adblock-style.com^").host()).isEqualTo("adblock-style.com");
    assertThat(clean("*.wild.example.org").host()).isEqualTo("wild.example.org");
    assertThat(clean(".dotted.example.org").host()).isEqualTo("dotted.example.org");
    assertThat(clean("https://with-scheme.com/").host()).isEqualTo("with-scheme.com");
    HostCleaner.Result port = clean("live.example.com:8080");
    assertThat(port.host()).isEqualTo("live.example.com");
    assertThat(port.hadPort()).isTrue();
    assertThat(clean("bad.example.com # trailing comment").host()).isEqualTo("bad.example.com");
  }

  @Test
  void commentsAndBlankLinesAreSkippedNotInvalid() {
    assertThat(clean("# comment").skip()).isTrue();
    assertThat(clean("! adblock comment").skip()).isTrue();
    assertThat(clean("   ").skip()).isTrue();
  }

  @Test
  void idnBecomesPunycodeAndKeepsItsDisplayForm() {
    HostCleaner.Result r = clean("bücher-wetten.de");
    assertThat(r.host()).isEqualTo("xn--bcher-wetten-dlb.de");
    assertThat(r.unicodeHost()).isEqualTo("bücher-wetten.de");
  }

  @Test
  void invalidEntriesSayWhy() {
    assertThat(clean("May").reason()).isEqualTo("no_public_suffix");
    assertThat(clean("URLs").reason()).isEqualTo("no_public_suffix");
    assertThat(clean("gravity forms.com").reason()).isEqualTo("whitespace_in_host");
    assertThat(clean("google.com/flights").reason()).isEqualTo("path_in_host_list");
    assertThat(clean("m&tbank.com").reason()).isEqualTo("malformed_host");
    assertThat(clean("a*b.example.com").reason()).isEqualTo("wildcard_inside_name");
    assertThat(clean("bad\uFFFDbytes.com").reason()).isEqualTo("not_utf8");
  }

  @Test
  void ipLiteralsAndPublicSuffixHostsAreValidAndMarked() {
    HostCleaner.Result ip = clean("203.0.113.7");
    assertThat(ip.valid()).isTrue();
    assertThat(ip.ipLiteral()).isTrue();
    HostCleaner.Result gov = clean("gov.uk");
    assertThat(gov.valid()).isTrue();
    assertThat(gov.publicSuffixHost()).isTrue();
    assertThat(gov.registeredDomain()).isEqualTo("gov.uk");
  }
}
