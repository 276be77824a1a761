package dev.sieve.eval.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.eval.EvalOptions;
import dev.sieve.eval.data.ProtectedSlices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyTest {

  @Test
  void repositoryPolicyParsesAndIsTheBuiltInCopy() throws Exception {
    Path root = Path.of("..", EvaluationPolicy.FILE);
    assertThat(root).isRegularFile();
    try (var in = EvaluationPolicy.class.getResourceAsStream("default-release-gate.yaml")) {
      assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(root));
    }
    EvaluationPolicy p = EvaluationPolicy.load(root);
    assertThat(p.options().minPositives()).isEqualTo(30);
    assertThat(p.options().bootstrapResamples()).isEqualTo(1000);
    assertThat(p.thresholds().ruleFor("self_harm").minRecall()).isEqualTo(0.95);
    assertThat(p.thresholds().ruleFor("news").objective()).isEqualTo("max_f1");
    assertThat(p.gate().categories().get("adult").minRecall()).isEqualTo(0.85);
    assertThat(p.gate().regression().tolerances("adult"))
        .containsEntry("recall", 0.02)
        .containsEntry("auprc", 0.03);
    assertThat(p.protectedSlices())
        .containsKeys("lgbtq", "sex_education", "mental_health_help", "news_violence", "health");
  }

  @Test
  void tierExceptionsReplaceRulesOneByOneAndMustSayWhy() {
    EvaluationPolicy p =
        EvaluationPolicy.parse(
            """
        version: 1
        thresholds:
          categories:
            adult: {objective: max_precision, min_recall: 0.9}
        gate:
          categories:
            adult: {min_recall: 0.85}
            self_harm: {min_recall: 0.9}
        tiers:
          url:
            reason: host names only
            thresholds:
              adult: {objective: max_f1, max_background_flag_rate: 0.01}
            gate:
              adult: {min_recall: 0.7}
              self_harm: null
        """);
    EvaluationPolicy url = p.forTier("url");
    assertThat(url.thresholds().ruleFor("adult").objective()).isEqualTo("max_f1");
    assertThat(url.gate().categories().get("adult").minRecall()).isEqualTo(0.7);
    assertThat(url.gate().categories()).doesNotContainKey("self_harm");
    assertThat(p.exceptionReason("url")).contains("host names only");
    EvaluationPolicy content = p.forTier("content");
    assertThat(content).isSameAs(p);
    assertThat(content.gate().categories().get("self_harm").minRecall()).isEqualTo(0.9);
    assertThat(content.thresholds().ruleFor("adult").minRecall()).isEqualTo(0.9);
    assertThatThrownBy(
            () -> EvaluationPolicy.parse("version: 1\ntiers: {url: {gate: {adult: null}}}\n"))
        .hasMessageContaining("needs a 'reason'");
  }

  @Test
  void typosFailTheLoad() {
    assertThatThrownBy(
            () ->
                EvaluationPolicy.parse(
                    "version: 1\ngate:\n  categories:\n    adult: {min_recal: 0.9}\n"))
        .hasMessageContaining("min_recal");
    assertThatThrownBy(
            () -> EvaluationPolicy.parse("version: 1\nthresholds:\n  default: {objective: best}\n"))
        .hasMessageContaining("unknown threshold objective 'best'");
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 2\n"))
        .hasMessageContaining("version must be 1");
    assertThatThrownBy(
            () ->
                EvaluationPolicy.parse("version: 1\ngate: {regression: {default: {speed: 0.1}}}\n"))
        .hasMessageContaining("unknown regression metric 'speed'");
  }

  @Test
  void protectedSlicesFromTheStandardPolicy() {
    ProtectedSlices s = ProtectedSlices.compile(EvaluationPolicy.builtIn().protectedSlices());
    assertThat(s.of(domain("www.thetrevorproject.org", List.of(), Map.of())))
        .containsExactly("lgbtq", "mental_health_help");
    assertThat(s.of(domain("gaytube.example", List.of("adult"), Map.of())))
        .isEmpty(); // a correct block
    assertThat(
            s.of(
                domain(
                    "teen-health.example", List.of(), Map.of("ut1/sexual_education", List.of()))))
        .containsExactly("health", "sex_education");
    assertThat(
            s.of(
                domain("dailynews.example", List.of("news"), Map.of("ut1/press", List.of("news")))))
        .containsExactly("news_violence");
    assertThat(
            s.of(
                new TextRecord(
                    "1",
                    "Police say two people were killed in the shooting downtown.",
                    List.of("news"),
                    List.of("*"),
                    "curlie",
                    "site_description",
                    "g",
                    "test",
                    Map.of())))
        .containsExactly("news_violence");
    assertThat(
            s.of(
                new TextRecord(
                    "2",
                    "Thanks for reaching out, you matter.",
                    List.of(),
                    List.of("self_harm"),
                    "cssrs",
                    "post",
                    "g",
                    "test",
                    Map.of("cssrs_level", "Supportive"))))
        .containsExactly("mental_health_help");
  }

  /** Evaluation standard v2 gate keys: parsed, defaulted, and kept by a tier's exceptions. */
  @Test
  void v2GateKeysParseDefaultAndSurviveTierExceptions() {
    EvaluationPolicy p =
        EvaluationPolicy.parse(
            """
        version: 1
        gate:
          protected_not_above_background: true
          background_ceilings:
            default_ceiling: 0.005
            categories: {adult: 0.01}
          max_false_alert_rate: 0.01
          loso: {min_recall: 0.5}
          zero_block_slices: [mental_health_help]
          categories:
            adult: {min_recall: 0.85}
        tiers:
          url:
            reason: host names only
            gate:
              adult: {min_recall: 0.75}
        """);
    GatePolicy g = p.gate();
    Set<String> blocking = EvalOptions.defaultBlocking();
    assertThat(g.protectedNotAboveBackground()).isTrue();
    assertThat(g.backgroundCeilings().ceiling("adult", blocking)).isEqualTo(0.01);
    assertThat(g.backgroundCeilings().ceiling("violence", blocking)).isEqualTo(0.005);
    // ALLOW categories (news, sex_education, self_harm_help) have no ceiling unless named.
    assertThat(g.backgroundCeilings().ceiling("news", blocking)).isNull();
    assertThat(g.backgroundCeilings().ceiling("self_harm_help", blocking)).isNull();
    assertThat(g.backgroundCeilings().minGroupItems()).isEqualTo(100);
    assertThat(g.maxFalseAlertRate()).isEqualTo(0.01);
    assertThat(g.loso().minRecall()).isEqualTo(0.5);
    assertThat(g.loso().minPositives()).isEqualTo(30);
    assertThat(g.zeroBlockSlices()).containsExactly("mental_health_help");

    GatePolicy url = p.forTier("url").gate();
    assertThat(url.categories().get("adult").minRecall()).isEqualTo(0.75);
    assertThat(url.backgroundCeilings()).isEqualTo(g.backgroundCeilings());
    assertThat(url.maxFalseAlertRate()).isEqualTo(0.01);
    assertThat(url.protectedNotAboveBackground()).isTrue();
    assertThat(url.loso()).isEqualTo(g.loso());
    assertThat(url.zeroBlockSlices()).containsExactly("mental_health_help");

    GatePolicy none = EvaluationPolicy.parse("version: 1\n").gate();
    assertThat(none.backgroundCeilings()).isNull();
    assertThat(none.maxFalseAlertRate()).isNull();
    assertThat(none.protectedNotAboveBackground()).isFalse();
    assertThat(none.loso()).isNull();
    assertThat(none.zeroBlockSlices()).isEmpty();
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 1\ngate: {loso: {min_recal: 0.5}}\n"))
        .hasMessageContaining("min_recal");
  }

  @Test
  void repositoryPolicyHoldsTheV2Ceilings() {
    GatePolicy g = EvaluationPolicy.load(Path.of("..", EvaluationPolicy.FILE)).gate();
    Set<String> blocking = EvalOptions.defaultBlocking();
    // Issue #11: adult and self_harm 1%, every other blocking category 0.5%, false alerts 1%.
    assertThat(g.backgroundCeilings().ceiling("adult", blocking)).isEqualTo(0.01);
    assertThat(g.backgroundCeilings().ceiling("self_harm", blocking)).isEqualTo(0.01);
    assertThat(g.backgroundCeilings().ceiling("hate", blocking)).isEqualTo(0.005);
    assertThat(g.maxFalseAlertRate()).isEqualTo(0.01);
    assertThat(g.protectedNotAboveBackground()).isTrue();
    assertThat(g.loso()).isNotNull();
    assertThat(g.zeroBlockSlices()).contains("mental_health_help");
  }

  /** text_sources: text and page members only from the named sources; hosts are not affected. */
  @Test
  void textSourcesRestrictTextMembersToDocumentedSources() {
    ProtectedSlices s = ProtectedSlices.compile(EvaluationPolicy.builtIn().protectedSlices());
    String identity = "Resources for queer and transgender teens and their families.";
    // The same words in an offensive tweet are not an LGBTQ+ resource; on a health page they are.
    assertThat(
            s.of(
                new TextRecord(
                    "t",
                    identity,
                    List.of(),
                    List.of("hate"),
                    "davidson",
                    "tweet",
                    "g",
                    "test",
                    Map.of())))
        .isEmpty();
    assertThat(
            s.of(
                new TextRecord(
                    "m",
                    identity,
                    List.of(),
                    List.of("*"),
                    "ordinary/medquad",
                    "passage",
                    "g",
                    "test",
                    Map.of())))
        .contains("lgbtq");
    assertThat(
            s.of(
                new TextRecord(
                    "p",
                    identity,
                    List.of(),
                    List.of("*"),
                    "pages/readability",
                    "page",
                    "g",
                    "test",
                    Map.of())))
        .contains("lgbtq");
    // Literature is a source rule restricted to its own source.
    assertThat(
            s.of(
                new TextRecord(
                    "h",
                    "To be, or not to be",
                    List.of(),
                    List.of("*"),
                    "ordinary/shakespeare",
                    "passage",
                    "g",
                    "test",
                    Map.of())))
        .containsExactly("literature");
    // A meta rule is also held to text_sources: a MedlinePlus-style focus outside the sources does
    // not count.
    Map<String, String> focus = Map.of("focus", "Suicide");
    assertThat(
            s.of(
                new TextRecord(
                    "f",
                    "Text.",
                    List.of(),
                    List.of("*"),
                    "ordinary/medquad",
                    "passage",
                    "g",
                    "test",
                    focus)))
        .contains("mental_health_help");
    assertThat(
            s.of(
                new TextRecord(
                    "f2",
                    "Text.",
                    List.of(),
                    List.of("*"),
                    "reddit/other",
                    "post",
                    "g",
                    "test",
                    focus)))
        .isEmpty();
    // Hosts are matched by host patterns whatever text_sources says.
    assertThat(s.of(domain("queer-youth.example", List.of(), Map.of()))).contains("lgbtq");

    ProtectedSlices glob =
        ProtectedSlices.compile(
            Map.of(
                "x",
                new SliceRule(
                    "x",
                    List.of(),
                    List.of(),
                    List.of("help"),
                    Map.of(),
                    List.of(),
                    List.of(),
                    List.of("ordinary/*"))));
    assertThat(
            glob.of(
                new TextRecord(
                    "a",
                    "help",
                    List.of(),
                    List.of("*"),
                    "ORDINARY/recipes",
                    "p",
                    "g",
                    "test",
                    Map.of())))
        .containsExactly("x");
    assertThat(
            glob.of(
                new TextRecord(
                    "b",
                    "help",
                    List.of(),
                    List.of("*"),
                    "extra-ordinary/recipes",
                    "p",
                    "g",
                    "test",
                    Map.of())))
        .isEmpty();
    assertThat(
            glob.of(
                new TextRecord(
                    "c", "help", List.of(), List.of("*"), null, "p", "g", "test", Map.of())))
        .isEmpty();
  }

  private static DomainRecord domain(
      String host, List<String> labels, Map<String, List<String>> sources) {
    return new DomainRecord(
        host,
        host,
        labels,
        labels.isEmpty() ? List.of("*") : labels,
        sources,
        "test",
        List.of(),
        0);
  }
}
