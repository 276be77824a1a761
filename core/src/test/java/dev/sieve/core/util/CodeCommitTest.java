package dev.sieve.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeCommitTest {

  @Test
  void outsideGitItSaysSoAndInsideItIsTheHeadCommit(@TempDir Path notARepo) {
    assertThat(CodeCommit.of(notARepo, "src")).startsWith("unknown (no git HEAD in ");
    // The build runs inside the repository (CI clones it), so HEAD exists.
    assertThat(CodeCommit.of(Path.of("..").toAbsolutePath().normalize(), "core/src"))
        .matches("[0-9a-f]{40}(\\+dirty)?");
  }
}
