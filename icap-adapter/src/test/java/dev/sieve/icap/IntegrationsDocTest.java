package dev.sieve.icap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/integrations.md shows the Squid configuration the end-to-end test runs: the template file,
 * verbatim. This keeps the page from drifting into a sketch.
 */
class IntegrationsDocTest {

  private static final Path MODULE = Path.of(System.getProperty("user.dir"));

  @Test
  void theDocumentedSquidConfigurationIsTheTestedTemplate() throws IOException {
    String template = Files.readString(MODULE.resolve("squid/squid-icap.conf.template"));
    String doc = Files.readString(MODULE.getParent().resolve("docs/integrations.md"));

    assertThat(doc).contains("```\n" + template + "```");
  }
}
