package dev.sieve.url.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.url.UrlNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlFeaturizerTest {

  private static final Vocabulary VOCABULARY =
      Vocabulary.fromCounts(
          Map.of(
              "free", 50L, "casino", 20L, "bonus", 15L, "school", 10L, "poker", 12L, "stars", 9L),
          1,
          100);
  private static final UrlFeaturizer FEATURIZER =
      new UrlFeaturizer(FeatureConfig.defaults(), VOCABULARY);

  static List<String> names(String url) throws Exception {
    FeatureBuffer buffer = FEATURIZER.featurize(UrlNormalizer.instance().normalize(url));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < buffer.size(); i++) {
      out.add(buffer.name(i));
    }
    return out;
  }

  static int[] buckets(String url) throws Exception {
    return FEATURIZER.featurize(UrlNormalizer.instance().normalize(url)).bucketsCopy();
  }

  @Test
  void hostFeaturesAreNamespaced() throws Exception {
    List<String> f = names("https://www.free-casino-bonus.co.uk/");
    assertThat(f)
        .contains(
            "x:co.uk",
            "l:uk",
            "d:free-casino-bonus",
            "t:free",
            "t:casino",
            "t:bonus",
            "n:^fr",
            "n:^fre",
            "n:nus$",
            "f:hyphen2",
            "f:sub0");
    assertThat(f).noneMatch(s -> s.equals("s:www"));
  }

  @Test
  void concatenatedLabelsAreSegmented() throws Exception {
    assertThat(names("http://freecasinobonus.net/"))
        .contains("t:free", "t:casino", "t:bonus", "d:freecasinobonus");
    assertThat(names("http://pokerstars777.com/")).contains("t:poker", "t:stars", "t:777");
    UrlFeaturizer noSeg =
        new UrlFeaturizer(FeatureConfig.defaults().withSegmentation(false), VOCABULARY);
    FeatureBuffer b =
        noSeg.featurize(UrlNormalizer.instance().normalize("http://freecasinobonus.net/"));
    List<String> f = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) f.add(b.name(i));
    assertThat(f).contains("t:freecasinobonus").doesNotContain("t:casino");
  }

  /** Issue #11: an identity is not evidence of adult content; the words around it are. */
  @Test
  void identityTermsAreLeftOutOfEveryFeatureButTheirNeighboursStay() throws Exception {
    Vocabulary vocabulary =
        Vocabulary.fromCounts(
            Map.of("gay", 90L, "porn", 80L, "tube", 40L, "physicists", 5L, "pride", 5L), 1, 100);
    UrlFeaturizer featurizer = new UrlFeaturizer(FeatureConfig.defaults(), vocabulary);
    List<String> f = names(featurizer, "https://gay.gaypornmovies.com/lesbian/videos");
    assertThat(f)
        .contains("t:porn", "p:videos", "d:gaypornmovies", "n:porn", "n:rnm", "f:sub1")
        .doesNotContain("t:gay", "s:gay", "p:lesbian")
        .noneMatch(name -> name.startsWith("n:") && (name.contains("ga") || name.contains("ay")))
        .noneMatch(name -> name.startsWith("m:"));
    assertThat(names(featurizer, "https://lgbtqphysicists.org/"))
        .noneMatch(
            name ->
                name.startsWith("n:")
                    && (name.contains("lgb") || name.contains("btq") || name.contains("tqp")))
        .contains("n:phys", "d:lgbtqphysicists");

    // Models trained before the switch existed read it as off and keep their features.
    UrlFeaturizer before =
        new UrlFeaturizer(FeatureConfig.defaults().withNeutralIdentityTerms(false), vocabulary);
    assertThat(names(before, "https://gay.gaypornmovies.com/lesbian/videos"))
        .contains("t:gay", "s:gay", "p:lesbian", "n:^gay");
  }

  @Test
  void identityTermsInsideOtherWordsAreMaskedOnlyWhereTheyOccur() {
    assertThat(IdentityTerms.mask("bikeshop", 0, 8)).isNull();
    boolean[] mask = IdentityTerms.mask("xlgbtqx", 0, 7);
    assertThat(mask).containsExactly(false, true, true, true, true, true, false);
    assertThat(IdentityTerms.isTerm("www.Queer.org", 4, 9)).isTrue();
    assertThat(IdentityTerms.isTerm("transport", 0, 9)).isFalse();
  }

  private static List<String> names(UrlFeaturizer featurizer, String url) throws Exception {
    FeatureBuffer buffer = featurizer.featurize(UrlNormalizer.instance().normalize(url));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < buffer.size(); i++) {
      out.add(buffer.name(i));
    }
    return out;
  }

  @Test
  void subdomainLabelsAndTheirTokens() throws Exception {
    List<String> f = names("http://casino.games.example.org/");
    assertThat(f).contains("s:casino", "s:games", "t:casino", "d:example", "f:sub2");
  }

  @Test
  void userinfoTrickIsSeenThrough() throws Exception {
    List<String> f = names("http://freeschool.edu@evil-poker.example.com/");
    assertThat(f)
        .contains("f:userinfo", "s:evil-poker", "t:poker", "d:example")
        .doesNotContain("t:school", "t:free");
  }

  @Test
  void idnHostsAreFeaturizedInPunycode() throws Exception {
    assertThat(buckets("http://Bücher.example/"))
        .isEqualTo(buckets("http://xn--bcher-kva.example/"));
    assertThat(names("http://bücher.example/")).contains("f:punycode", "d:xn--bcher-kva");
  }

  @Test
  void ipLiteralsGetIpFlagsAndNoHostTokens() throws Exception {
    assertThat(names("http://192.168.0.1/"))
        .contains("f:ip", "f:ipv4")
        .noneMatch(s -> s.startsWith("d:") || s.startsWith("n:"));
    assertThat(buckets("http://3232235521/")).isEqualTo(buckets("http://192.168.0.1/"));
    assertThat(names("http://[2001:db8::1]/")).contains("f:ip", "f:ipv6");
  }

  @Test
  void percentEncodingTrailingDotsAndDefaultPortsNormalizeAway() throws Exception {
    int[] plain = buckets("http://example.com/casino");
    assertThat(buckets("http://ex%61mple.com/%63asino")).isEqualTo(plain);
    assertThat(buckets("http://example.com./casino")).isEqualTo(plain);
    assertThat(buckets("http://EXAMPLE.com:80/casino")).isEqualTo(plain);
    assertThat(names("http://example.com:8080/casino")).contains("f:port");
    assertThat(names("http://example.com/casino")).contains("p:casino");
  }

  @Test
  void pathTokensAndQueryKeysButNeverQueryValues() throws Exception {
    List<String> f = names("http://example.com/Free/Poker-Room?user=alice&session=xyz123&flag");
    assertThat(f).contains("p:free", "p:poker", "p:room", "q:user", "q:session", "q:flag");
    assertThat(f).noneMatch(s -> s.contains("alice") || s.contains("xyz123"));
  }

  @Test
  void privateSuffixSitesUseTheirOwnLabel() throws Exception {
    assertThat(names("http://free-poker.blogspot.com/"))
        .contains("x:blogspot.com", "l:com", "d:free-poker");
    assertThat(names("http://blogspot.com/")).contains("d:blogspot");
  }

  @Test
  void optionalSubdomainNgramsAndTokenPairs() throws Exception {
    UrlFeaturizer rich =
        new UrlFeaturizer(FeatureConfig.defaults().withTokenBigrams(true), VOCABULARY);
    UrlFeaturizer plain =
        new UrlFeaturizer(FeatureConfig.defaults().withSubdomainNgrams(false), VOCABULARY);
    FeatureBuffer b =
        rich.featurize(
            UrlNormalizer.instance().normalize("http://login-secure.freecasinobonus.com/"));
    List<String> f = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) f.add(b.name(i));
    assertThat(f).contains("m:^lo", "m:ure$", "b:free+casino", "b:casino+bonus", "b:login+secure");
    assertThat(f).doesNotContain("b:secure+free"); // pairs never cross a label boundary
    assertThat(names("http://login-secure.freecasinobonus.com/"))
        .anyMatch(s -> s.startsWith("m:"))
        .noneMatch(s -> s.startsWith("b:")); // released defaults: subdomain n-grams on, pairs off
    FeatureBuffer p =
        plain.featurize(
            UrlNormalizer.instance().normalize("http://login-secure.freecasinobonus.com/"));
    for (int i = 0; i < p.size(); i++) {
      assertThat(p.name(i)).doesNotStartWith("m:").doesNotStartWith("b:");
    }
    assertThat(FeatureKind.describe("b:free+casino")).isEqualTo("host word pair \"free+casino\"");
  }

  @Test
  void evidenceNamesAreReadable() throws Exception {
    FeatureBuffer b =
        FEATURIZER.featurize(UrlNormalizer.instance().normalize("http://casino.example.com/"));
    List<String> described = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) described.add(b.describe(i));
    assertThat(described)
        .contains("host token \"casino\"", "subdomain \"casino\"", "site name \"example\"");
  }

  @Test
  void featurizationIsAPureFunctionOfTheUrl() throws Exception {
    FeatureBuffer reused = FEATURIZER.newBuffer();
    FEATURIZER.featurize(
        UrlNormalizer.instance()
            .normalize("http://a-very-long-host-name-with-many-parts.example.org/x/y/z"),
        reused);
    FEATURIZER.featurize(UrlNormalizer.instance().normalize("http://pokerstars.com/"), reused);
    assertThat(reused.bucketsCopy()).isEqualTo(buckets("http://pokerstars.com/"));
  }
}
