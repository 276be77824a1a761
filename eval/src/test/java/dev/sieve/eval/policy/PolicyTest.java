package dev.sieve.eval.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import dev.sieve.eval.data.ProtectedSlices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    assertThat(p.gate().regression().tolerances("adult")).containsEntry("recall", 0.02).containsEntry("auprc", 0.03);
    assertThat(p.protectedSlices()).containsKeys("lgbtq", "sex_education", "mental_health_help", "news_violence", "health");
  }

  @Test
  void tierExceptionsReplaceRulesOneByOneAndMustSayWhy() {
    EvaluationPolicy p = EvaluationPolicy.parse("""
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
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 1\ntiers: {url: {gate: {adult: null}}}\n"))
        .hasMessageContaining("needs a 'reason'");
  }

  @Test
  void typosFailTheLoad() {
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 1\ngate:\n  categories:\n    adult: {min_recal: 0.9}\n"))
        .hasMessageContaining("min_recal");
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 1\nthresholds:\n  default: {objective: best}\n"))
        .hasMessageContaining("unknown threshold objective 'best'");
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 2\n")).hasMessageContaining("version must be 1");
    assertThatThrownBy(() -> EvaluationPolicy.parse("version: 1\ngate: {regression: {default: {speed: 0.1}}}\n"))
        .hasMessageContaining("unknown regression metric 'speed'");
  }

  @Test
  void protectedSlicesFromTheStandardPolicy() {
    ProtectedSlices s = ProtectedSlices.compile(EvaluationPolicy.builtIn().protectedSlices());
    assertThat(s.of(domain("www.thetrevorproject.org", List.of(), Map.of())))
        .containsExactly("lgbtq", "mental_health_help");
    assertThat(s.of(domain("gaytube.example", List.of("adult"), Map.of()))).isEmpty(); // a correct block
    assertThat(s.of(domain("teen-health.example", List.of(), Map.of("ut1/sexual_education", List.of()))))
        .containsExactly("health", "sex_education");
    assertThat(s.of(domain("dailynews.example", List.of("news"), Map.of("ut1/press", List.of("news")))))
        .containsExactly("news_violence");
    assertThat(s.of(new TextRecord("1", "Police say two people were killed in the shooting downtown.",
        List.of("news"), List.of("*"), "curlie", "site_description", "g", "test", Map.of())))
        .containsExactly("news_violence");
    assertThat(s.of(new TextRecord("2", "Thanks for reaching out, you matter.", List.of(), List.of("self_harm"),
        "cssrs", "post", "g", "test", Map.of("cssrs_level", "Supportive")))).containsExactly("mental_health_help");
  }

  private static DomainRecord domain(String host, List<String> labels, Map<String, List<String>> sources) {
    return new DomainRecord(host, host, labels, labels.isEmpty() ? List.of("*") : labels, sources, "test", List.of(), 0);
  }
}
