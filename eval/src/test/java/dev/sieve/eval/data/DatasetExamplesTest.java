package dev.sieve.eval.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.PageRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.eval.Example;
import dev.sieve.eval.Fixtures;
import dev.sieve.eval.policy.SliceRule;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation standard v2 inputs: ordinary text (label scope "*") is the text background, and real
 * pages are scored as HTML, background when ordinary, with protected slices from their article
 * text.
 */
class DatasetExamplesTest {

  private static final ProtectedSlices HELP =
      ProtectedSlices.compile(
          Map.of(
              "mental_health_help",
              new SliceRule(
                  "help",
                  List.of(),
                  List.of(),
                  List.of("\\bcrisis line\\b"),
                  Map.of(),
                  List.of(),
                  List.of(),
                  List.of("ordinary/*", "pages/*"))));

  private static TextRecord text(
      String id,
      String body,
      List<String> labels,
      List<String> scope,
      String source,
      Map<String, String> meta) {
    return new TextRecord(id, body, labels, scope, source, "passage", "g-" + id, "test", meta);
  }

  private static PageRecord page(String id, String html, String article, List<String> scope) {
    return new PageRecord(
        id,
        html,
        article,
        "A title",
        "site",
        List.of(),
        scope,
        "pages/readability",
        "page",
        "g-" + id,
        "dev",
        Map.of("flags", "boilerplate_heavy"));
  }

  @Test
  void ordinaryTextIsTheTextBackgroundAndLabelledTextIsNot() {
    Example ordinary =
        DatasetExamples.fromText(
            text(
                "o1",
                "How plants make food.",
                List.of("sex_education"),
                List.of("*"),
                "ordinary/openstax",
                Map.of("flags", "keyword_derived, hard_negative")),
            ProtectedSlices.none());
    Example tweet =
        DatasetExamples.fromText(
            text("t1", "some tweet", List.of(), List.of("hate"), "davidson", Map.of()),
            ProtectedSlices.none());
    assertThat(ordinary.background()).isTrue();
    assertThat(ordinary.id()).isEqualTo("text:o1");
    assertThat(ordinary.slice("input")).containsExactly("text");
    assertThat(ordinary.slice("source")).containsExactly("ordinary/openstax");
    assertThat(ordinary.flags()).containsExactly("hard_negative", "keyword_derived");
    // Labelled with sex_education and still ordinary: a weak negative for every other category.
    assertThat(ordinary.positive("sex_education")).isTrue();
    assertThat(ordinary.inScope("adult")).isTrue();
    assertThat(DatasetExamples.isHtml(ordinary)).isFalse();
    assertThat(DatasetExamples.isUrl(ordinary)).isFalse();
    // Labels complete only for hate: not ordinary, not part of any false-flag denominator.
    assertThat(tweet.background()).isFalse();
    assertThat(tweet.flags()).isEmpty();
  }

  @Test
  void aRealPageIsScoredAsHtmlWithSlicesFromItsArticleText() {
    String html =
        "<html><body><nav>Home</nav><article>If you are struggling, call the crisis line.</article></body></html>";
    Example p =
        DatasetExamples.fromPage(
            page("p1", html, "If you are struggling, call the crisis line.", List.of("*")), HELP);
    assertThat(p.id()).isEqualTo("page:p1");
    assertThat(p.input()).isEqualTo(html);
    assertThat(DatasetExamples.isHtml(p)).isTrue();
    assertThat(DatasetExamples.isUrl(p)).isFalse();
    assertThat(p.background()).isTrue();
    assertThat(p.split()).isEqualTo("dev");
    assertThat(p.slice("input")).containsExactly("html");
    assertThat(p.slice("kind")).containsExactly("page");
    assertThat(p.slice("source")).containsExactly("pages/readability");
    assertThat(p.slice("protected")).containsExactly("mental_health_help");
    assertThat(p.flags()).containsExactly("boilerplate_heavy");
    // The slice pattern is matched on the article, not on markup: "crisis line" in the html only
    // (e.g. a script) does not make a page crisis help.
    Example scriptOnly =
        DatasetExamples.fromPage(
            page(
                "p2",
                "<script>var s='crisis line'</script><p>Recipes</p>",
                "Recipes",
                List.of("*")),
            HELP);
    assertThat(scriptOnly.slice("protected")).isEmpty();
    Example scoped =
        DatasetExamples.fromPage(
            page("p3", "<p>x</p>", "x", List.of("adult")), ProtectedSlices.none());
    assertThat(scoped.background()).isFalse();
  }

  @Test
  void pagesAreLoadedFromTheDatasetWhenAskedFor(@TempDir Path home) throws Exception {
    Path dir = Fixtures.dataset(home, "ds-pages");
    try (Writer w =
        new OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(dir.resolve(DatasetVersion.PAGES))),
            StandardCharsets.UTF_8)) {
      for (PageRecord r :
          List.of(
              page("a", "<p>a</p>", "a", List.of("*")),
              new PageRecord(
                  "b",
                  "<p>b</p>",
                  "b",
                  "",
                  "",
                  List.of(),
                  List.of("*"),
                  "pages/x",
                  "page",
                  "g",
                  "test",
                  Map.of()))) {
        w.write(DatasetVersion.mapper().writeValueAsString(r));
        w.write('\n');
      }
    }
    DatasetVersion ds = DatasetVersion.open(dir);
    assertThat(DatasetExamples.Inputs.parse("texts, pages"))
        .containsExactly(DatasetExamples.Inputs.TEXTS, DatasetExamples.Inputs.PAGES);
    List<Example> pages =
        DatasetExamples.load(
            ds, EnumSet.of(DatasetExamples.Inputs.PAGES), "test", ProtectedSlices.none());
    assertThat(pages).extracting(Example::id).containsExactly("page:b");
    List<Example> all =
        DatasetExamples.load(
            ds,
            EnumSet.of(DatasetExamples.Inputs.TEXTS, DatasetExamples.Inputs.PAGES),
            null,
            ProtectedSlices.none());
    assertThat(all)
        .filteredOn(DatasetExamples::isHtml)
        .extracting(Example::id)
        .containsExactly("page:a", "page:b");
    // The fixture's texts have scope "*": all of them are ordinary text background.
    assertThat(all)
        .filteredOn(e -> !DatasetExamples.isHtml(e))
        .hasSize(20)
        .allMatch(Example::background);
    // A dataset built before pages existed has none: texts load unchanged.
    Path old = Fixtures.dataset(home.resolve("old"), "ds-old");
    assertThat(
            DatasetExamples.load(
                DatasetVersion.open(old),
                EnumSet.of(DatasetExamples.Inputs.PAGES),
                null,
                ProtectedSlices.none()))
        .isEmpty();
  }
}
