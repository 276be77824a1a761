package dev.sieve.lab.data.texts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.lab.data.mapping.MappingRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link TextSource#apply} does with each mapping action (one row at a time, and several). */
class ApplyMappingRowTest {

  private static MappingRow row(
      MappingRow.Action action, List<String> taxonomy, List<String> flags) {
    return new MappingRow("src", "cat", action, taxonomy, flags, "why", 1);
  }

  private static TextDraft draft() {
    return new TextDraft("src:1", "src", "post", "some text");
  }

  @Test
  void keywordRulesAddScopeButNeverLabels() {
    // XSTest and the topic rules decide the labels per record; the row only says what they may
    // assign.
    TextDraft d = draft();
    TextSource.apply(
        d,
        row(
            MappingRow.Action.KEYWORD_RULES,
            List.of("violence", "drugs"),
            List.of("keyword_derived")));
    assertThat(d.labels).isEmpty();
    assertThat(d.labelScope).containsExactly("drugs", "violence");
    assertThat(d.flags).containsExactly("keyword_derived");
  }

  @Test
  void mapAddsLabelsAndTheirScope() {
    TextDraft d = draft();
    TextSource.apply(d, row(MappingRow.Action.MAP, List.of("hate"), List.of()));
    assertThat(d.labels).containsExactly("hate");
    assertThat(d.labelScope).containsExactly("hate");
  }

  @Test
  void negativeAddsOnlyScope() {
    TextDraft d = draft();
    TextSource.apply(d, row(MappingRow.Action.NEGATIVE, List.of("adult"), List.of("borderline")));
    assertThat(d.labels).isEmpty();
    assertThat(d.labelScope).containsExactly("adult");
    assertThat(d.flags).containsExactly("borderline");
  }

  @Test
  void backgroundMakesTheRecordCompleteForEveryCategory() {
    TextDraft d = draft();
    TextSource.apply(d, row(MappingRow.Action.BACKGROUND, List.of(), List.of()));
    assertThat(d.labels).isEmpty();
    assertThat(d.labelScope).containsExactly(TextSource.BACKGROUND_SCOPE);
  }

  @Test
  void sourceLabelAddsAFlagAndNoScope() {
    TextDraft d = draft();
    TextSource.apply(d, row(MappingRow.Action.SOURCE_LABEL, List.of(), List.of("protected_slice")));
    assertThat(d.labels).isEmpty();
    assertThat(d.labelScope).isEmpty();
    assertThat(d.flags).containsExactly("source:src/cat", "protected_slice");
  }

  @Test
  void excludeReferenceAndIgnoreChangeNothingButFlags() {
    for (MappingRow.Action a :
        List.of(MappingRow.Action.EXCLUDE, MappingRow.Action.REFERENCE, MappingRow.Action.IGNORE)) {
      TextDraft d = draft();
      TextSource.apply(d, row(a, List.of(), List.of()));
      assertThat(d.labels).as(a.name()).isEmpty();
      assertThat(d.labelScope).as(a.name()).isEmpty();
      assertThat(d.flags).as(a.name()).isEmpty();
    }
  }

  @Test
  void rowsAccumulate() {
    // an SBIC post: a hate negative, an adult negative and ordinary
    TextDraft d = draft();
    TextSource.apply(d, row(MappingRow.Action.NEGATIVE, List.of("hate"), List.of()));
    TextSource.apply(d, row(MappingRow.Action.NEGATIVE, List.of("adult"), List.of()));
    TextSource.apply(d, row(MappingRow.Action.BACKGROUND, List.of(), List.of()));
    assertThat(d.labels).isEmpty();
    assertThat(d.labelScope).containsExactly("*", "adult", "hate");
  }
}
