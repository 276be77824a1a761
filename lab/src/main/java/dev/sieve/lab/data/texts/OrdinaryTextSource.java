package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.mapping.MappingRow;
import java.util.Optional;

/**
 * A source of ordinary text (health pages, textbooks, classroom news, recipes, literature): every
 * record is background (label scope {@code "*"}, a weak negative for every category it is not
 * labelled with), and the topic rules of {@link TopicRules} add the help categories where the
 * mapping table has a {@code topic_*} row for the source.
 *
 * <p>One place for the rule so that every ordinary source applies it identically: the background is
 * what every text false-flag rate is measured on, and a difference between sources would show up as
 * a difference in their rates.
 */
abstract class OrdinaryTextSource extends TextSource {

  /** The mapping row that makes a record background ({@code answer}, {@code passage}, ...). */
  protected abstract String backgroundCategory();

  /**
   * A background draft with the topic labels its text (or {@code forced} topics chosen by the
   * source from its own metadata) calls for.
   */
  protected TextDraft ordinary(
      Context ctx,
      String id,
      String kind,
      String text,
      boolean forceSexEducation,
      boolean forceSelfHarmHelp) {
    TextDraft d = new TextDraft(id, id(), kind, text);
    apply(d, requiredRow(ctx, backgroundCategory()));
    Optional<MappingRow> sexEd = ctx.mapping().find(id(), "topic_sex_education");
    if (sexEd.isPresent() && (forceSexEducation || TopicRules.sexEducation(text))) {
      topic(d, sexEd.get(), forceSexEducation);
    }
    Optional<MappingRow> help = ctx.mapping().find(id(), "topic_self_harm_help");
    if (help.isPresent() && (forceSelfHarmHelp || TopicRules.selfHarmHelp(text))) {
      topic(d, help.get(), forceSelfHarmHelp);
    }
    return d;
  }

  private static void topic(TextDraft d, MappingRow row, boolean bySourceMetadata) {
    apply(d, row);
    d.labels.addAll(row.taxonomy());
    d.meta.merge(
        "topic_rule",
        row.category() + (bySourceMetadata ? ":source_metadata" : ":keywords"),
        (a, b) -> a + "," + b);
  }
}
