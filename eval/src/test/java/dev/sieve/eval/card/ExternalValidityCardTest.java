package dev.sieve.eval.card;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.eval.CardFixture;
import dev.sieve.eval.metrics.Wilson;
import dev.sieve.eval.report.Estimate;
import dev.sieve.eval.report.LeaveOneSourceOut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a v2 card says about ordinary inputs: summary columns per kind of ordinary input present
 * (sites, texts, pages — never "n/a" where a background exists), the external-validity section, and
 * the leave-one-source-out table read from loso.json next to the model.
 */
class ExternalValidityCardTest {

  static final Set<String> ADULT = Set.of("adult");

  /** 40 adult positives, 1,000 ordinary texts (3 flagged adult), 200 ordinary pages (2 flagged). */
  static CardFixture textsAndPages() {
    return new CardFixture("adult", "gambling")
        .add(40, "text", "reddit/nsfw", false, List.of("adult"), List.of(), ADULT)
        .add(997, "text", "ordinary/openstax", true, List.of(), List.of(), Set.of())
        .add(3, "text", "ordinary/openstax", true, List.of(), List.of(), ADULT)
        .add(198, "html", "pages/readability", true, List.of(), List.of(), Set.of())
        .add(2, "html", "pages/readability", true, List.of(), List.of(), ADULT);
  }

  static ModelCard.SummaryRow row(ModelCard card, String category) {
    return card.executiveSummary().rows().stream()
        .filter(r -> r.category().equals(category))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTextModelsSummaryCountsOrdinaryTextsAndPagesSeparately(@TempDir Path home)
      throws Exception {
    Path dir = CardFixture.modelDir(home, "text-card", "1");
    ModelCard card =
        textsAndPages()
            .card(
                dir,
                "text-card",
                "content",
                List.of("texts", "pages"),
                List.of("weights.bin"),
                "ds-card",
                false);
    ModelCard.SummaryRow adult = row(card, "adult");
    assertThat(adult.catchesPer100()).isEqualTo(100);
    assertThat(adult.wronglyFlagsTextsPer1000()).isEqualTo(3); // 3 of 1,000
    assertThat(adult.wronglyFlagsPagesPer1000()).isEqualTo(10); // 2 of 200
    assertThat(adult.wronglyFlagsPer1000()).isNull(); // no ordinary sites evaluated
    assertThat(row(card, "gambling").wronglyFlagsTextsPer1000()).isZero();
    assertThat(card.executiveSummary().paragraph())
        .contains(
            "Of every 1,000 ordinary inputs (texts, pages) it would flag 4 in a blocking category.")
        .contains("how many of 1,000 ordinary texts, pages it wrongly flags");

    String md = Files.readString(dir.resolve(ModelCard.MARKDOWN));
    assertThat(md)
        .contains(
            "| Category | Default action | Harmful items caught | Ordinary texts wrongly flagged"
                + " | Ordinary pages wrongly flagged | Note |")
        .contains(
            "| Adult / sexual content (adult) | block | 100 of 100 | 3 of 1,000 | 10 of 1,000 |")
        .doesNotContain("Ordinary sites wrongly flagged")
        .contains("### External validity: ordinary inputs by source and kind")
        .contains("| Group | Items | adult | gambling |")
        .contains("| source:ordinary/openstax | 1,000 | 3 (")
        .contains("| input:html | 200 | 2 (")
        .contains("### External validity: leave one source out")
        .contains(
            "No leave-one-source-out results were computed for this model (no loso.json next to it).");
    assertThat(card.quantitativeAnalyses().externalValidity().groups())
        .containsExactly(
            "all",
            "input:html",
            "input:text",
            "source:ordinary/openstax",
            "source:pages/readability");
    // The JSON is the card: read back, it is the same card.
    assertThat(ModelCardGenerator.toJson(ModelCardGenerator.read(dir.resolve(ModelCard.JSON))))
        .isEqualTo(ModelCardGenerator.toJson(card));
  }

  @Test
  void leaveOneSourceOutNextToTheModelBecomesItsOwnSection(@TempDir Path home) throws Exception {
    Path dir = CardFixture.modelDir(home, "text-card", "2");
    LeaveOneSourceOut loso =
        new LeaveOneSourceOut(
            "Retrained without each source.",
            "ds-card",
            List.of(
                new LeaveOneSourceOut.Fold(
                    "reddit/nsfw",
                    400,
                    List.of(
                        new LeaveOneSourceOut.FoldCategory(
                            "adult",
                            300,
                            0,
                            0.6125,
                            Estimate.of(0.7, Wilson.interval(210, 300)),
                            0.92,
                            null,
                            null)))));
    loso.write(dir.resolve(LeaveOneSourceOut.FILE));
    ModelCard card =
        textsAndPages()
            .card(
                dir,
                "text-card",
                "content",
                List.of("texts", "pages"),
                List.of("weights.bin"),
                "ds-card",
                false);
    // Read from loso.json at generation; numbers rounded like every number of the card.
    LeaveOneSourceOut.FoldCategory carded =
        card.leaveOneSourceOut().folds().get(0).categories().get(0);
    assertThat(card.leaveOneSourceOut().method()).isEqualTo(loso.method());
    assertThat(carded.recallHeldOut().value()).isEqualTo(0.7);
    assertThat(carded.recallHeldOut().lower()).isCloseTo(0.645882, Assertions.within(1e-6));
    assertThat(carded.recallDrop()).isCloseTo(0.22, Assertions.within(1e-9));
    String md = Files.readString(dir.resolve(ModelCard.MARKDOWN));
    assertThat(md)
        .contains("Retrained without each source. Dataset ds-card.")
        .contains(
            "| Held-out source | Category | Positives | Recall held out [95% CI] | Recall in-distribution | Drop |")
        .contains("| reddit/nsfw | adult | 300 |")
        .contains("| 0.920 | 0.220 |")
        .contains("| 0.6125 |");
    assertThat(ModelCardGenerator.read(dir.resolve(ModelCard.JSON)).leaveOneSourceOut())
        .isEqualTo(card.leaveOneSourceOut());
  }

  @Test
  void aUrlModelKeepsTheOrdinarySitesColumn(@TempDir Path home) throws Exception {
    Path dir = CardFixture.modelDir(home, "url-card", "1");
    CardFixture fx =
        new CardFixture("gambling")
            .add(
                40,
                "url",
                "ut1/gambling",
                false,
                List.of("gambling"),
                List.of(),
                Set.of("gambling"))
            .add(495, "url", "background", true, List.of(), List.of(), Set.of())
            .add(5, "url", "background", true, List.of(), List.of(), Set.of("gambling"));
    ModelCard card =
        fx.card(
            dir,
            "url-card",
            "url",
            List.of("domains", "background"),
            List.of("weights.bin"),
            "ds-card",
            false);
    assertThat(row(card, "gambling").wronglyFlagsPer1000()).isEqualTo(10);
    assertThat(row(card, "gambling").wronglyFlagsTextsPer1000()).isNull();
    assertThat(card.executiveSummary().paragraph()).contains("ordinary inputs (sites)");
    assertThat(Files.readString(dir.resolve(ModelCard.MARKDOWN)))
        .contains(
            "| Category | Default action | Harmful items caught | Ordinary sites wrongly flagged | Note |")
        .doesNotContain("Ordinary texts wrongly flagged");
  }
}
