package dev.sieve.annotate;

import dev.sieve.core.cli.SieveCommand;
import dev.sieve.core.util.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve annotate}: offline tools of the annotation app (the app itself is started by
 * {@code ./sieve up}). Contributed to the cli through {@link SieveCommand}'s ServiceLoader.
 */
@Command(
    name = "annotate",
    mixinStandardHelpOptions = true,
    description = {
      "Offline tools of the annotation app (./sieve up starts the app itself).",
      "See docs/annotation.md."
    },
    subcommands = {AnnotateCommand.AgreementReferenceCommand.class})
public final class AnnotateCommand implements SieveCommand {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /**
   * {@code ./sieve annotate agreement-reference}: the public datasets' own annotator agreement
   * ({@link AgreementReference}), written as a generated Markdown file that docs/annotation.md
   * links to. Reads the repository's imported raw copies ({@code data/raw}), else the shared
   * snapshot ({@code ../shared/data}); fails with the paths it tried when Davidson's file is in
   * neither.
   */
  @Command(
      name = "agreement-reference",
      mixinStandardHelpOptions = true,
      description = {
        "Compute the public datasets' own annotator agreement (Fleiss' kappa per category,",
        "Cohen's kappa per annotator pair where worker ids exist) with the annotation app's",
        "formulas, and write it to docs/generated/annotation-agreement.md: a reference for",
        "judging Sieve's own annotators."
      })
  public static final class AgreementReferenceCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--raw",
        description = "Imported raw data directory (default: $SIEVE_HOME/data/raw).")
    Path raw;

    @Option(
        names = "--shared",
        description =
            "Shared data snapshot, read when data/raw lacks a file (default: $SIEVE_HOME/../shared/data).")
    Path shared;

    @Option(
        names = "--out",
        description =
            "Markdown file to write (default: $SIEVE_HOME/docs/generated/annotation-agreement.md).")
    Path out;

    @Override
    public Integer call() throws IOException {
      Path home = Path.of(Settings.get("SIEVE_HOME", ".")).toAbsolutePath().normalize();
      Path rawDir = raw != null ? raw : home.resolve("data/raw");
      Path sharedDir = shared != null ? shared : home.resolve("../shared/data").normalize();
      Path target = out != null ? out : home.resolve("docs/generated/annotation-agreement.md");
      List<Path> davidsonCandidates =
          List.of(
              rawDir.resolve("davidson-hate/labeled_data.csv.gz"),
              rawDir.resolve("davidson-hate/labeled_data.csv"),
              sharedDir.resolve("davidson-hate/labeled_data.csv"));
      Optional<Path> davidson = AgreementReference.first(davidsonCandidates);
      if (davidson.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "sieve annotate agreement-reference: Davidson et al.'s labeled_data.csv is in none"
                    + " of "
                    + davidsonCandidates
                    + "; import it (./sieve data import) or give --raw / --shared.");
        return 1;
      }
      List<AgreementReference.Figures> figures = new ArrayList<>();
      figures.add(AgreementReference.davidson(davidson.get()));
      List<String> missing = new ArrayList<>();
      List<Path> sbicDirs =
          List.of(
              rawDir.resolve("hate-extra/sbic-social-bias-frames"),
              sharedDir.resolve("hate-extra/sbic-social-bias-frames"));
      List<Path> perAnnotator = new ArrayList<>();
      List<Path> aggregated = new ArrayList<>();
      for (Path dir : sbicDirs) {
        if (perAnnotator.isEmpty()) {
          perAnnotator.addAll(AgreementReference.sbicPerAnnotatorFiles(dir));
        }
        if (aggregated.isEmpty()) {
          aggregated.addAll(AgreementReference.sbicAggregatedFiles(dir));
        }
      }
      for (Path file : perAnnotator) {
        figures.add(AgreementReference.sbicPerAnnotator(file));
      }
      if (perAnnotator.isEmpty()) {
        missing.add(
            "Social Bias Frames v2: not computable from the copies here. "
                + (aggregated.isEmpty()
                    ? "No SBIC file was found in " + sbicDirs + "."
                    : "Only the aggregated files ("
                        + String.join(
                            ", ",
                            aggregated.stream().map(p -> "`" + display(home, p) + "`").toList())
                        + ") are present: one row per post with offensiveYN averaged over"
                        + " its annotators, without worker ids or the number of annotators, so"
                        + " neither Fleiss' nor Cohen's kappa can be recovered (guessing the"
                        + " counts from the means would be inventing data).")
                + " The per-annotator files (SBIC.v2.trn/dev/tst.csv, with WorkerId and HITId)"
                + " would be read from "
                + sbicDirs.stream().map(p -> "`" + display(home, p) + "`").toList()
                + " when present.");
      }
      String md = markdown(home, figures, missing);
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.writeString(target, md, StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("wrote " + display(home, target));
      for (AgreementReference.Figures f : figures) {
        spec.commandLine()
            .getOut()
            .printf(
                "  %s: Fleiss' kappa %s over %s items%n",
                f.dataset(),
                AgreementReference.fmt(f.fleiss().kappa()),
                AgreementReference.n(f.fleiss().items()));
      }
      for (String m : missing) {
        spec.commandLine().getOut().println("  " + m.substring(0, m.indexOf(':') + 1) + " skipped");
      }
      return 0;
    }
  }

  /** A path as the page shows it: relative to the checkout, so the page is the same everywhere. */
  static String display(Path home, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    try {
      return home.relativize(abs).toString();
    } catch (IllegalArgumentException otherRoot) {
      return abs.toString();
    }
  }

  /** The generated page: inputs with their SHA-256, then each dataset's figures. */
  static String markdown(
      Path home, List<AgreementReference.Figures> figures, List<String> notComputed) {
    StringBuilder md = new StringBuilder();
    md.append("# Reference annotator agreement of the public datasets\n\n");
    md.append(
        "<!-- generated by ./sieve annotate agreement-reference; do not edit by hand -->\n\n");
    md.append(
        "How much the public datasets' own annotators agreed with each other, computed by `./sieve"
            + " annotate agreement-reference` with the annotation app's formulas (lab's"
            + " `FleissKappa`, annotate's `Agreement`). These are **not** Sieve's annotators: they"
            + " are a reference for judging them once people label in the app, whose agreement"
            + " page computes Sieve's own figures from its database. See docs/annotation.md.\n\n");
    for (AgreementReference.Figures f : figures) {
      md.append("## ").append(f.dataset()).append("\n\n");
      md.append("Input: `")
          .append(display(home, f.file()))
          .append("` (SHA-256 `")
          .append(f.sha256(), 0, 16)
          .append("…`), ")
          .append(AgreementReference.n(f.rows()))
          .append(" rows; ")
          .append(AgreementReference.n(f.fleiss().items()))
          .append(" items with two or more ratings.\n\n");
      md.append("| Fleiss' kappa | observed agreement | chance agreement |\n|---:|---:|---:|\n");
      md.append("| ")
          .append(AgreementReference.fmt(f.fleiss().kappa()))
          .append(" | ")
          .append(AgreementReference.fmt(f.fleiss().observed()))
          .append(" | ")
          .append(AgreementReference.fmt(f.fleiss().expected()))
          .append(" |\n\n");
      md.append("Per category (each category against the rest, Fleiss 1971):\n\n");
      md.append("| category | kappa |\n|---|---:|\n");
      for (int j = 0; j < f.categories().size(); j++) {
        md.append("| ")
            .append(f.categories().get(j))
            .append(" | ")
            .append(AgreementReference.fmt(f.fleiss().perCategory()[j]))
            .append(" |\n");
      }
      md.append("\nRaters per item: ");
      List<String> parts = new ArrayList<>();
      for (Map.Entry<Integer, Long> e : f.ratersPerItem().entrySet()) {
        parts.add(e.getKey() + ": " + AgreementReference.n(e.getValue()));
      }
      md.append(String.join(", ", parts)).append(".\n\n");
      if (f.cohen() != null) {
        AgreementReference.CohenSummary c = f.cohen();
        md.append("Cohen's kappa per annotator pair (")
            .append(AgreementReference.n(c.pairs()))
            .append(" pairs with at least ")
            .append(AgreementReference.MIN_PAIR_ITEMS)
            .append(" common items; ")
            .append(c.undefined())
            .append(" undefined): median ")
            .append(AgreementReference.fmt(c.median()))
            .append(", quartiles ")
            .append(AgreementReference.fmt(c.lowerQuartile()))
            .append(" to ")
            .append(AgreementReference.fmt(c.upperQuartile()))
            .append(".\n\n");
      }
      for (String note : f.notes()) {
        md.append("- ").append(note).append("\n");
      }
      md.append("\n");
    }
    if (!notComputed.isEmpty()) {
      md.append("## Not computed\n\n");
      for (String m : notComputed) {
        md.append("- ").append(m).append("\n");
      }
      md.append("\n");
    }
    return md.toString();
  }

  /** For tests: the picocli command line of this command. */
  static CommandLine commandLine() {
    return new CommandLine(new AnnotateCommand());
  }
}
