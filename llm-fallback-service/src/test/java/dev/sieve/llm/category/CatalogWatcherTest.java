package dev.sieve.llm.category;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.llm.TestFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogWatcherTest {

  @TempDir Path dir;

  private void copyShipped() throws Exception {
    for (String name : CategoryFiles.ALL) {
      Files.copy(TestFixtures.CATEGORIES_DIR.resolve(name), dir.resolve(name));
    }
  }

  private void write(String name, String content, int secondsLater) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    // Explicit mtime: a rewrite within the file system's timestamp granularity must still count.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  @Test
  void validChangeIsPreparedThenSwappedInAndInvalidChangeKeepsTheLastGoodCatalog()
      throws Exception {
    copyShipped();
    CategoryCatalog initial = CatalogLoader.fromDirectory(dir);
    List<String> prepared = new ArrayList<>();
    try (CatalogWatcher watcher =
        new CatalogWatcher(dir, initial, c -> prepared.add(c.version()))) {
      assertThat(watcher.pollOnce()).isFalse();

      String emerging =
          Files.readString(dir.resolve("emerging.yaml"))
              + """
            - id: crypto_trading
              display_name: Crypto trading
              description: Buy and trade bitcoin and crypto coins, exchanges and trading signals.
              default_action: allow
          """;
      write("emerging.yaml", emerging, 5);
      assertThat(watcher.pollOnce()).isTrue();
      assertThat(watcher.get().ids()).contains("crypto_trading", "ai_chatbots", "gambling");
      assertThat(prepared).containsExactly(watcher.get().version());
      CategoryCatalog good = watcher.get();

      write("emerging.yaml", emerging.replace("crypto_trading", "gambling"), 10);
      assertThat(watcher.pollOnce()).isFalse();
      assertThat(watcher.get()).isSameAs(good);
      assertThat(watcher.lastRejection())
          .hasValueSatisfying(r -> assertThat(r).contains("shadows"));
      // The same broken files are not re-parsed on the next poll.
      assertThat(watcher.pollOnce()).isFalse();

      write("emerging.yaml", "format: 1\ncategories: [ {id: x", 15);
      assertThat(watcher.pollOnce()).isFalse();
      assertThat(watcher.get()).isSameAs(good);

      write("emerging.yaml", emerging.replace("crypto_trading", "crypto"), 20);
      assertThat(watcher.pollOnce()).isTrue();
      assertThat(watcher.get().ids()).contains("crypto").doesNotContain("crypto_trading");
      assertThat(watcher.lastRejection()).isEmpty();
    }
  }

  @Test
  void failingPreparationRejectsTheCatalog() throws Exception {
    copyShipped();
    CategoryCatalog initial = CatalogLoader.fromDirectory(dir);
    try (CatalogWatcher watcher =
        new CatalogWatcher(
            dir,
            initial,
            c -> {
              throw new IllegalStateException("encoder unavailable");
            })) {
      write(
          "background.yaml",
          Files.readString(dir.resolve("background.yaml")) + "  - \"A page about kites.\"\n",
          5);
      assertThat(watcher.pollOnce()).isFalse();
      assertThat(watcher.get()).isSameAs(initial);
      assertThat(watcher.lastRejection()).hasValue("encoder unavailable");
    }
  }
}
