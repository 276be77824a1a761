package dev.sieve.url;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.scoring.ScoringException;
import dev.sieve.proto.v1.CategoryScore;
import dev.sieve.proto.v1.ScoreRequest;
import dev.sieve.url.model.LexicalUrlModel;
import dev.sieve.url.table.KnownDomainTable;
import dev.sieve.url.table.KnownDomainTableLoader.LoadedTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The released url model, as served (its thresholds.json, aligned to 0.5), on host names of LGBTQ+
 * support, advocacy and community organisations that are in no list the model learnt from (issue
 * #11 found such sites flagged adult on independent lists). The model alone is asked, without the
 * known-domain table, because these hosts reach the model in production: no list names them.
 *
 * <p>The hosts are public organisations' own domains, written down for this test, not chosen from
 * what the model gets right; a host that fails here is a finding to report, not to delete.
 */
class ReleasedModelIdentityHostsTest {

  private static final Path MODELS =
      Path.of("..").toAbsolutePath().normalize().resolve("models").resolve(LexicalUrlModel.NAME);

  private static final List<String> LGBTQ_ORGANISATIONS =
      List.of(
          "www.thetrevorproject.org",
          "www.glsen.org",
          "pflag.org",
          "glaad.org",
          "www.lgbtqnation.com",
          "transequality.org",
          "itgetsbetter.org",
          "www.lambdalegal.org",
          "gaycenter.org",
          "lgbtqia.ucdavis.edu",
          "www.lgbtmap.org",
          "lgbtqhealtheducation.org",
          "transfamilies.org",
          "www.gaystarnews.com",
          "lesbianhistoryproject.org",
          "queerhistory.org",
          "bisexual.org",
          "gayyouthcorner.com",
          "translifeline.org",
          "lgbthotline.org");

  @Test
  void organisationsOfLgbtqPeopleAreNotFlaggedAdultByTheirName() throws ScoringException {
    LexicalUrlModel model = LexicalUrlModel.loadReleased(MODELS).orElseThrow();
    UrlTierScorer served =
        new UrlTierScorer(
            new LoadedTable(
                KnownDomainTable.builder().build(),
                model.datasetVersion(),
                "",
                0,
                0,
                0,
                0,
                0,
                false),
            model);
    List<String> flagged = new ArrayList<>();
    for (String host : LGBTQ_ORGANISATIONS) {
      double adult =
          served
              .score(ScoreRequest.newBuilder().setUrl("https://" + host + "/").build())
              .getScoresList()
              .stream()
              .filter(s -> s.getCategory().equals("adult"))
              .mapToDouble(CategoryScore::getScore)
              .findFirst()
              .orElse(0);
      if (adult >= 0.5) {
        flagged.add(host + " (" + adult + ")");
      }
    }
    assertThat(flagged)
        .as("LGBTQ+ organisations' hosts the released url model flags adult")
        .isEmpty();
  }
}
