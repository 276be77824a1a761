package dev.sieve.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.eval.report.CategoryResult;
import dev.sieve.eval.report.SliceRow;
import dev.sieve.eval.report.SliceTable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A protected slice's over-blocking counts only the members no blocking category labels. */
class SliceAnalyzerTest {

  private static Example member(String id, Set<String> labels) {
    return new Example(
        id,
        id,
        "test",
        labels,
        Set.of("*"),
        Map.of("protected", List.of("lgbtq")),
        Map.of(),
        List.of(),
        false);
  }

  @Test
  void overBlockRateLeavesOutMembersThatShouldBeBlocked() {
    List<Example> examples =
        List.of(
            member(
                "phishing-gay-dating.example",
                Set.of("security_threat")), // pattern member, correctly blocked
            member("pride-center.example", Set.of()), // over-blocked
            member("queer-history.example", Set.of())); // allowed
    boolean[][] decided = {{true, true, false}};
    boolean[] blocked = {true, true, false};
    List<SliceTable> tables =
        SliceAnalyzer.tables(
            examples,
            List.of("security_threat"),
            decided,
            blocked,
            new String[] {CategoryResult.MEASURED},
            Set.of("security_threat"));
    SliceRow lgbtq =
        tables.stream()
            .filter(t -> t.dimension().equals("protected"))
            .findFirst()
            .orElseThrow()
            .rows()
            .getFirst();
    assertThat(lgbtq.examples()).isEqualTo(3);
    assertThat(lgbtq.blockRate().value()).isEqualTo(2.0 / 3);
    assertThat(lgbtq.shouldAllow()).isEqualTo(2);
    assertThat(lgbtq.overBlockRate().value()).isEqualTo(0.5);
    assertThat(lgbtq.overBlockRate().lower()).isLessThan(0.5);
  }
}
