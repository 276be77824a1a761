package dev.sieve.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.Evidence;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.proto.v1.ScoreResponse;
import dev.sieve.url.table.KnownDomainTableLoader;
import dev.sieve.url.table.KnownDomainTableLoader.LoadedTable;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The url tier with the known-domain table alone (no model): verdicts, evidence and input errors.
 */
class UrlTierScorerTest {

  @TempDir static Path home;
  static UrlTierScorer scorer;

  @BeforeAll
  static void load() {
    Path dir = FixtureDatasets.install("table", home);
    LoadedTable table =
        KnownDomainTableLoader.forServing(Set.of("giant_benign_host"))
            .load(DatasetVersion.open(dir));
    scorer = new UrlTierScorer(table, null);
  }

  static ScoreResponse score(String url) throws ScoringException {
    return scorer.score(ScoreRequest.newBuilder().setUrl(url).build());
  }

  @Test
  void tableMatchIsDefinitiveWithListEvidence() throws Exception {
    ScoreResponse response = score("https://WWW.PokerStars.com:443/poker/#top");
    assertThat(response.getTier()).isEqualTo("url");
    assertThat(response.getNormalizedInput()).isEqualTo("https://www.pokerstars.com/poker/");
    assertThat(response.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("gambling", "games");
    CategoryScore gambling = response.getScores(0);
    assertThat(gambling.getScore()).isEqualTo(1.0);
    assertThat(gambling.getDefinitive()).isTrue();
    Evidence evidence = gambling.getEvidence(0);
    assertThat(evidence.getKind()).isEqualTo(Evidence.Kind.KIND_LIST_MATCH);
    assertThat(evidence.getCategory()).isEqualTo("gambling");
    assertThat(evidence.getDetail()).isEqualTo("pokerstars.com");
    assertThat(evidence.getSource()).isEqualTo("blocklistproject/gambling,ut1/gambling");
  }

  @Test
  void multiLabelHostsGetEveryCategoryAndParentEntriesAddTheirs() throws Exception {
    assertThat(score("overlap.com").getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("adult", "dating");
    ScoreResponse nested = score("http://games.example.net/");
    assertThat(nested.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("games", "streaming");
    assertThat(nested.getScoresList()).allMatch(CategoryScore::getDefinitive);
    assertThat(nested.getScores(1).getEvidence(0).getDetail()).isEqualTo("example.net");
  }

  @Test
  void requestedCategoriesFilterTheResponseAndUnknownIdsAreIgnored() throws Exception {
    ScoreResponse response =
        scorer.score(
            ScoreRequest.newBuilder()
                .setUrl("pokerstars.com")
                .addCategories("games")
                .addCategories("cheese")
                .build());
    assertThat(response.getScoresList())
        .extracting(CategoryScore::getCategory)
        .containsExactly("games");
  }

  @Test
  void unknownHostWithoutModelMeansNoOpinion() throws Exception {
    ScoreResponse response = score("http://some-unlisted-site.example/");
    assertThat(response.getScoresCount()).isZero();
    assertThat(response.getModel().getName()).isEqualTo("url-table");
    assertThat(response.getModel().getDatasetVersion()).isEqualTo("ds-fixture-table");
    assertThat(response.getModel().getConfigHash()).hasSize(64);
  }

  @Test
  void ipLiteralsAreScoredNotRejected() throws Exception {
    assertThat(score("http://192.0.2.55/admin").getNormalizedInput())
        .isEqualTo("http://192.0.2.55/admin");
    assertThat(score("http://[2001:DB8::1]:8080/").getNormalizedInput())
        .isEqualTo("http://[2001:db8::1]:8080/");
    assertThat(score("http://203.0.113.7/").getScores(0).getCategory())
        .isEqualTo("security_threat");
  }

  @Test
  void requestWithoutUrlIsInvalidArgument() {
    assertInvalid(
        ScoreRequest.newBuilder().setText(ByteString.copyFromUtf8("hello")).build(),
        "url tier needs a url");
    assertInvalid(ScoreRequest.getDefaultInstance(), "url tier needs a url");
  }

  @Test
  void malformedUrlsAreInvalidArgumentWithTheReason() {
    assertInvalid("not a url at all", "MALFORMED_HOST");
    assertInvalid("http://" + "a".repeat(8200) + ".com/", "TOO_LONG");
    assertInvalid("http://example.com/\u0001path", "CONTROL_CHARACTERS");
    assertInvalid("http://exa\u0000mple.com/", "CONTROL_CHARACTERS");
    assertInvalid("data:text/html,<script>alert(1)</script>", "UNSUPPORTED_SCHEME");
    assertInvalid("javascript:alert(1)", "UNSUPPORTED_SCHEME");
    assertInvalid("http:///", "EMPTY_HOST");
    assertInvalid("http://:80/", "EMPTY_HOST");
    assertInvalid("   ", "EMPTY");
    assertInvalid("http://example.com:99999/", "MALFORMED_PORT");
  }

  @Test
  void noInputEverEscapesAsAnUncheckedException() {
    Random random = new Random(42);
    String alphabet = "abcxyz019.-_:/@?#%[]\\ \t\u00e4\u3002\uff0e\u0000\u007f\ud83d\ude00";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (random.nextBoolean()) {
        sb.append(random.nextBoolean() ? "http://" : "https://");
      }
      int len = random.nextInt(40);
      for (int k = 0; k < len; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        score(sb.toString());
      } catch (ScoringException e) {
        assertThat(e.code()).as("for %s", sb).isEqualTo(Status.Code.INVALID_ARGUMENT);
      }
    }
  }

  @Test
  void describeListsTheCategoriesTheTableKnowsInTaxonomyOrder() {
    assertThat(scorer.describe().getTier()).isEqualTo("url");
    assertThat(scorer.describe().getCategoriesList())
        .containsExactly(
            "adult",
            "gambling",
            "dating",
            "games",
            "streaming",
            "proxy_circumvention",
            "security_threat",
            "shopping");
  }

  private static void assertInvalid(String url, String reason) {
    assertInvalid(ScoreRequest.newBuilder().setUrl(url).build(), reason);
  }

  private static void assertInvalid(ScoreRequest request, String messagePart) {
    assertThatThrownBy(() -> scorer.score(request))
        .isInstanceOfSatisfying(
            ScoringException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }

  static List<String> categories(ScoreResponse response) {
    return response.getScoresList().stream().map(CategoryScore::getCategory).toList();
  }
}
