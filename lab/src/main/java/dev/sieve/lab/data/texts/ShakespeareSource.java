package dev.sieve.lab.data.texts;

import dev.sieve.lab.data.io.BuildReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Five Shakespeare tragedies, one CSV row per line of verse or stage direction. Consecutive lines
 * of a scene are joined into passages of about {@value #TARGET_WORDS} words ("Speaker: line", stage
 * directions in brackets), because one verse line says nothing on its own while a speech is what a
 * literature page shows. {@code group} = play and act. Ordinary text: murder, suicide and innuendo
 * as literature taught in K-12.
 *
 * <p>Build-report entries are the CSV rows. A row without dialogue is invalid ({@code
 * empty_dialogue}); the rows of a scene-end fragment shorter than {@value #MIN_WORDS} words (an
 * exit, a one-line scene) are excluded and counted ({@code short_fragment}): too little text to be
 * a passage.
 */
public final class ShakespeareSource extends OrdinaryTextSource {

  static final List<String> PLAYS =
      List.of("hamlet", "julius_caesar", "macbeth", "othello", "romeo_juliet");
  static final int TARGET_WORDS = 80;
  static final int MIN_WORDS = 15;

  @Override
  public String id() {
    return "ordinary/shakespeare";
  }

  @Override
  protected String backgroundCategory() {
    return "passage";
  }

  @Override
  public List<TextDraft> read(Context ctx) {
    List<TextDraft> out = new ArrayList<>();
    for (String play : PLAYS) {
      Optional<Path> file = file(ctx, play + ".csv");
      if (file.isEmpty()) {
        continue;
      }
      String label = label(ctx, file.get());
      Passage passage = new Passage();
      CsvRows.forEach(
          file.get(),
          label,
          ctx.report(),
          (row, line) -> {
            String act = nz(row.get("act")).strip();
            String scene = nz(row.get("scene")).strip();
            String who = nz(row.get("character")).strip();
            String said = TextCleaner.whitespace(nz(row.get("dialogue")));
            if (said.isEmpty()) {
              ctx.report()
                  .invalid(
                      label,
                      line,
                      BuildReport.Kind.INVALID_ENTRY,
                      "empty_dialogue",
                      String.valueOf(row));
              return;
            }
            ctx.report().file(label).accepted++;
            String where = act + " / " + scene;
            if (!where.equals(passage.where)) {
              passage.flush(this, ctx, play, label, out);
              passage.start(where, line);
            }
            passage.add(who, said);
            if (passage.words >= TARGET_WORDS && !who.equals("[stage direction]")) {
              passage.flush(this, ctx, play, label, out);
              passage.start(where, line + 1);
            }
          });
      passage.flush(this, ctx, play, label, out);
    }
    return out;
  }

  /** The passage being built. */
  private static final class Passage {
    String where;
    long line;
    String speaker;
    final StringBuilder text = new StringBuilder();
    int words;
    int rows;
    int count;

    void start(String where, long line) {
      this.where = where;
      this.line = line;
      this.speaker = null;
      text.setLength(0);
      words = 0;
      rows = 0;
    }

    void add(String who, String said) {
      if (who.equals("[stage direction]")) {
        text.append(text.isEmpty() ? "" : "\n").append('[').append(said).append(']');
        speaker = null;
      } else if (who.equals(speaker)) {
        text.append(' ').append(said);
      } else {
        text.append(text.isEmpty() ? "" : "\n").append(who).append(": ").append(said);
        speaker = who;
      }
      words += said.split("\\s+").length;
      rows++;
    }

    void flush(
        ShakespeareSource source, Context ctx, String play, String label, List<TextDraft> out) {
      if (where != null && words >= MIN_WORDS) {
        TextDraft d =
            located(
                source.ordinary(
                    ctx,
                    source.id() + ":" + play + "-" + (count++),
                    "literature",
                    text.toString(),
                    false,
                    false),
                label,
                line);
        d.group = "shakespeare:" + play + "/" + where.substring(0, where.indexOf(" / "));
        d.meta.put("play", play);
        d.meta.put("scene", where);
        out.add(d);
      } else {
        for (int i = 0; i < rows; i++) {
          ctx.report().file(label).accepted--;
          source.exclude(ctx, label, "short_fragment");
        }
      }
      text.setLength(0);
      words = 0;
      rows = 0;
    }
  }
}
