package dev.sieve.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void startupFailsWithAPreciseMessageOnAnUnknownCategory() throws Exception {
    Path file =
        write("policy.yaml", "id: p\nversion: '1'\ncategories: {gamblng: {threshold: 0.4}}\n");
    assertThatThrownBy(() -> PolicyStore.open(file))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith(file + ": categories.gamblng: unknown category 'gamblng'");
  }

  @Test
  void startupFailsOnAMissingFile() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> PolicyStore.open(missing))
        .hasMessageStartingWith(missing + ": cannot read policy file");
  }

  @Test
  void noFileMeansTheEmbeddedDefault() throws Exception {
    PolicyStore store = PolicyStore.open(null);
    assertThat(store.current().id()).isEqualTo("k12-default");
    assertThat(store.current().source()).isEqualTo("classpath:default-policy.yaml");
    assertThat(store.reloadIfChanged()).isEqualTo(PolicyStore.ReloadResult.UNCHANGED);
  }

  @Test
  void reloadSwapsAValidPolicyAndKeepsTheLastGoodOneOnAnInvalidFile() throws Exception {
    Path file = write("policy.yaml", "id: p\nversion: '1'\n");
    PolicyStore store = PolicyStore.open(file);
    List<String> reloaded = new CopyOnWriteArrayList<>();
    store.onReload(p -> reloaded.add(p.version()));
    assertThat(store.reloadIfChanged()).isEqualTo(PolicyStore.ReloadResult.UNCHANGED);

    Files.writeString(file, "id: p\nversion: '2'\ncategories: {games: {action: BLOCK}}\n");
    assertThat(store.reloadIfChanged()).isEqualTo(PolicyStore.ReloadResult.RELOADED);
    assertThat(store.current().version()).isEqualTo("2");
    assertThat(store.active().generation()).isEqualTo(2);
    assertThat(reloaded).containsExactly("2");

    Files.writeString(file, "id: p\nversion: '3'\ncategories: {games: {threshold: 2}}\n");
    assertThat(store.reloadIfChanged()).isEqualTo(PolicyStore.ReloadResult.REJECTED);
    assertThat(store.current().version()).isEqualTo("2");
    assertThat(store.reloadIfChanged())
        .as("same bad content again")
        .isEqualTo(PolicyStore.ReloadResult.REJECTED);

    Files.delete(file);
    assertThat(store.reloadIfChanged()).isEqualTo(PolicyStore.ReloadResult.UNREADABLE);
    assertThat(store.current().version()).isEqualTo("2");

    Files.writeString(file, "id: p\nversion: '4'\n");
    assertThat(store.reloadIfChanged()).isEqualTo(PolicyStore.ReloadResult.RELOADED);
    assertThat(store.current().version()).isEqualTo("4");
    assertThat(reloaded).containsExactly("2", "4");
  }

  @Test
  void watchPicksUpChangesByPolling() throws Exception {
    Path file = write("policy.yaml", "id: p\nversion: '1'\n");
    PolicyStore store = PolicyStore.open(file);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      store.watch(scheduler, Duration.ofMillis(20));
      Files.writeString(file, "id: p\nversion: '2'\n");
      long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!store.current().version().equals("2") && System.nanoTime() < giveUp) {
        Thread.sleep(10);
      }
      assertThat(store.current().version()).isEqualTo("2");
    } finally {
      scheduler.shutdownNow();
    }
  }
}
