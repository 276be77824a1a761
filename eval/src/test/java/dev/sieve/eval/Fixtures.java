package dev.sieve.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.core.data.TextRecord;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Tiny dataset versions and model directories in the real on-disk formats, for tests. */
public final class Fixtures {

  private Fixtures() {}

  /** Split by index: 0-2 train, 3 dev, 4 test. */
  static String split(int i) {
    return switch (i % 5) {
      case 3 -> "dev";
      case 4 -> "test";
      default -> "train";
    };
  }

  /**
   * Writes data/datasets/{@code version} under {@code home} and points CURRENT at it: 250 gambling
   * and 250 adult list hosts, 600 background hosts (some protected), a few texts.
   */
  public static Path dataset(Path home, String version) {
    Path dir = home.resolve("data/datasets").resolve(version);
    List<DomainRecord> domains = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      String g = i % 2 == 0 ? "casino-royal" + i + ".com" : "bet" + i + "win.net";
      boolean noisy = i % 50 == 7;
      domains.add(
          new DomainRecord(
              g,
              g,
              List.of("gambling"),
              List.of("gambling"),
              noisy
                  ? Map.of("blocklistproject/gambling", List.of("gambling"))
                  : Map.of("ut1/gambling", List.of("gambling")),
              split(i),
              noisy ? List.of("infrastructure") : List.of(),
              0));
      String a = i % 2 == 0 ? "xxx-" + i + "tube.com" : "sexcam" + i + ".net";
      domains.add(
          new DomainRecord(
              a,
              a,
              List.of("adult"),
              List.of("adult"),
              Map.of("shadowwhisperer/adult", List.of("adult")),
              split(i),
              List.of(),
              0));
    }
    List<DomainRecord> background = new ArrayList<>();
    String[] kinds = {
      "shop",
      "news",
      "school",
      "library",
      "weather",
      "sexed-info",
      "lgbt-youth",
      "museum",
      "recipes",
      "maps"
    };
    for (int i = 0; i < 600; i++) {
      String h = kinds[i % kinds.length] + i + (i % 3 == 0 ? ".org" : ".com");
      background.add(
          new DomainRecord(
              h,
              h,
              List.of(),
              List.of("*"),
              Map.of("websitelaunches", List.of()),
              split(i / 10),
              List.of(),
              i + 1));
    }
    List<TextRecord> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add(
          new TextRecord(
              "t" + i,
              i % 2 == 0
                  ? "win big at the online casino tonight " + i
                  : "homework help for algebra " + i,
              i % 2 == 0 ? List.of("gambling") : List.of(),
              List.of("*"),
              "fixture",
              "post",
              "g" + i,
              split(i),
              Map.of()));
    }
    try {
      Files.createDirectories(dir);
      ObjectMapper m = DatasetVersion.mapper();
      Files.writeString(
          dir.resolve(DatasetVersion.MANIFEST),
          m.writeValueAsString(Map.of("version", version, "files", List.of())));
      writeGz(dir.resolve(DatasetVersion.DOMAINS), domains, m);
      writeGz(dir.resolve(DatasetVersion.BACKGROUND), background, m);
      writeGz(dir.resolve(DatasetVersion.TEXTS), texts, m);
      Files.writeString(dir.resolve("data-card.md"), "# data card (fixture)\n");
      Files.writeString(home.resolve("data/datasets/CURRENT"), version + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static void writeGz(Path file, List<?> records, ObjectMapper m) throws IOException {
    try (Writer w =
        new OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
      for (Object r : records) {
        w.write(m.writeValueAsString(r));
        w.write('\n');
      }
    }
  }

  /**
   * models/{@code name}/{@code version} with model.bin ("strength=...") and model-metadata.json.
   */
  public static Path model(Path home, String name, String version, double strength) {
    Path dir = home.resolve("models").resolve(name).resolve(version);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("model.bin"), "strength=" + strength + "\n");
      Files.writeString(
          dir.resolve("model-metadata.json"),
          """
          {
            "name": "%s",
            "version": "%s",
            "date": "2025-11-25",
            "tier": "fixture",
            "type": "keyword URL scorer (test fixture)",
            "training_algorithm": "none (hand-set strength)",
            "hyperparameters": {"strength": %s, "noise": 0.3},
            "code_commit": "0123456789abcdef",
            "license": "Apache-2.0",
            "owner": "eval team",
            "contact": "eval@example.org",
            "artifacts": ["model.bin"],
            "class_weighting": "none",
            "resampling": "none",
            "caveats": ["Fixture model for tests."]
          }
          """
              .formatted(name, version, strength));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** The fixture phrase lists (e2guardian layout) under test resources. */
  public static Path phraseLists() {
    try {
      return Path.of(Fixtures.class.getResource("/e2g/phraselists").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A policy like the standard's, with fewer resamples so tests stay fast. */
  public static String policy(String gateCategories, String insufficientData) {
    return """
        version: 1
        evaluation:
          min_positives: 30
          bootstrap_resamples: 200
          seed: 7
        thresholds:
          default: {objective: max_f1}
          categories:
            self_harm: {objective: max_precision, min_recall: 0.95, max_background_flag_rate: 0.01}
            adult: {objective: max_f1, max_background_flag_rate: 0.01}
        gate:
          split: test
          insufficient_data: %s
          max_background_block_rate: 0.05
          categories:
        %s
          regression:
            default: {recall: 0.03, auprc: 0.03}
        protected_slices:
          sex_education:
            description: Sex education
            host_patterns: ['sexed']
            exclude_labels: [adult]
          lgbtq:
            description: LGBTQ+ resources
            host_patterns: ['lgbt']
        """
        .formatted(insufficientData, gateCategories.indent(4).stripTrailing());
  }
}
