package dev.sieve.lab.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.lab.data.io.Progress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Paths of the small raw-data fixture every pipeline test builds from. */
public final class Fixtures {

  private Fixtures() {}

  public static Path root() {
    Progress.setQuiet(true);
    try {
      return Path.of(Fixtures.class.getResource("/fixtures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path raw() {
    return root().resolve("raw");
  }

  public static Path mapping() {
    return root().resolve("mapping.tsv");
  }

  /**
   * Options for a fixture build into {@code out}; the fixture's bad lines need a generous budget.
   */
  public static DatasetBuilder.Options options(
      Path out, Path overlays, String seed, double budget) {
    return new DatasetBuilder.Options(raw(), out, mapping(), overlays, seed, budget, 0, true);
  }

  public static DatasetBuilder.Result build(Path out) throws Exception {
    return new DatasetBuilder(
            options(out, out.resolve("no-overlays"), "test-seed", 0.5), System.err)
        .build();
  }

  /** One file's accounting in a build report: lines, accepted, duplicates, excluded, invalid. */
  public static List<Long> entries(JsonNode buildReport, String file) {
    JsonNode f = buildReport.path("files").path(file);
    if (f.isMissingNode()) {
      throw new AssertionError(file + " is not in the build report");
    }
    return List.of(
        f.path("lines").asLong(),
        f.path("accepted").asLong(),
        f.path("duplicates").asLong(),
        f.path("excluded").asLong(),
        f.path("invalid").asLong());
  }
}
