package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import dev.sieve.lab.data.mapping.MappingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reddit C-SSRS (Gaur et al. 2019): 500 users, each with the list of their posts and one
 * psychologist-assigned Columbia Suicide Severity Rating Scale level.
 *
 * <p>One record per user (text = the user's posts joined by blank lines), because the label belongs
 * to the user, not to each post: splitting into posts would put a user's label on posts that say
 * nothing about risk. {@code group} = the user, so a user never spans splits. Levels map to
 * self_harm by the mapping table (Ideation, Behavior, Attempt positive; Supportive, Indicator
 * negative, Indicator flagged borderline).
 */
public final class CssrsSource extends TextSource {

  @Override
  public String id() {
    return "cssrs";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    List<String> scope = ctx.mapping().scopeOf(id());
    forEachCsvRow(
        ctx,
        "500_Reddit_users_posts_labels.csv",
        (row, line, label) -> {
          String user = nz(row.get("User")).strip();
          String level = nz(row.get("Label")).strip();
          if (user.isEmpty()) {
            ctx.report()
                .invalid(
                    label,
                    line,
                    BuildReport.Kind.INVALID_ENTRY,
                    "missing_user",
                    String.valueOf(row));
            return;
          }
          PythonListLiteral.Parsed parsed;
          try {
            parsed = PythonListLiteral.parseAllowingTruncation(nz(row.get("Post")));
          } catch (IllegalArgumentException e) {
            ctx.report()
                .invalid(
                    label,
                    line,
                    BuildReport.Kind.MALFORMED_LINE,
                    "post_list_not_parseable",
                    e.getMessage());
            return;
          }
          Optional<MappingRow> mapping = row(ctx, level, label, line);
          if (mapping.isEmpty()) {
            return;
          }
          List<String> cleaned = new ArrayList<>();
          for (String post : parsed.strings()) {
            String c = TextCleaner.clean(post);
            if (!c.isEmpty()) {
              cleaned.add(c);
            }
          }
          TextDraft d = new TextDraft("cssrs:" + user, id(), "post", String.join("\n\n", cleaned));
          located(d, label, line);
          d.group = "cssrs-user:" + user;
          d.labelScope.addAll(scope);
          apply(d, mapping.get());
          d.meta.put("cssrs_level", level);
          d.meta.put("posts", String.valueOf(cleaned.size()));
          if (parsed.truncated()) {
            // The source CSV cut this user's post list at a spreadsheet cell limit: the last post
            // is partial.
            d.meta.put("truncated_in_source", "true");
            ctx.stats().add(ctx.stats().truncatedInSource, id(), 1);
          }
          out.add(d);
          ctx.report().file(label).accepted++;
        });
    return out;
  }
}
