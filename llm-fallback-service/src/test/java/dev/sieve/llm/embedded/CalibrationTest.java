package dev.sieve.llm.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sieve.core.taxonomy.DefaultAction;
import dev.sieve.llm.category.CategoryDefinition;
import dev.sieve.llm.input.InputKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {

  private static final CategoryDefinition CHEATING =
      new CategoryDefinition(
          "cheating",
          "Cheating",
          "Essay mills",
          "Essay mills and answer sites",
          List.of(),
          List.of(),
          DefaultAction.BLOCK,
          true);
  private static final String HASH = "scoring-hash-of-cheating";

  @Test
  void fittedEntryAppliesOnlyToTheScoringHashItWasFittedOn(@TempDir Path dir) {
    Calibration calibration =
        new Calibration.Builder()
            .put(
                CHEATING, HASH, InputKind.URL, new Calibration.Logistic(20, -2), 0.3, 8, 900, "dev")
            .putDefault(InputKind.URL, new Calibration.Logistic(10, -3))
            .build("zs-test", "ds-x", "enc", "cat-x");
    Path file = dir.resolve("v/calibration.json");
    calibration.write(file);
    Calibration loaded = Calibration.load(file);
    assertThat(loaded.sha256())
        .as("hash of the file on disk = hash of the calibration that wrote it")
        .isEqualTo(calibration.sha256());

    Calibration.Applied fitted = loaded.apply(CHEATING, HASH, InputKind.URL, 0.1);
    assertThat(fitted.how()).isEqualTo("fitted:url");
    assertThat(fitted.probability()).isCloseTo(0.5, within(1e-9));

    Calibration.Applied stale = loaded.apply(CHEATING, "another-hash", InputKind.URL, 0.3);
    assertThat(stale.how()).isEqualTo("default:pooled-url (fit is for another definition)");
    assertThat(stale.probability()).isCloseTo(0.5, within(1e-9));

    Calibration.Applied builtin = loaded.apply(CHEATING, HASH, InputKind.TEXT, 0.1);
    assertThat(builtin.how()).isEqualTo("default:builtin");
    assertThat(builtin.probability())
        .isCloseTo(Calibration.BUILTIN_DEFAULT.apply(0.1), within(1e-12));
    assertThat(Calibration.BUILTIN_DEFAULT.margin50()).isCloseTo(0.1, within(1e-12));
  }
}
