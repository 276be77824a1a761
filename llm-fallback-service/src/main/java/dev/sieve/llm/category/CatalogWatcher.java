package dev.sieve.llm.category;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of the category files: polls their modification times and sizes, and when they change
 * parses, validates and prepares the new catalog before swapping it in.
 *
 * <p>Polling (not {@code WatchService}) because config maps in Kubernetes are mounted through
 * symlink swaps that inotify-based watchers miss, and a poll every few seconds costs nothing. An
 * invalid change is rejected with a logged reason and the last good catalog stays in service; the
 * same broken files are not re-parsed (or re-logged) until they change again. The {@code prepare}
 * hook (the embedded backend embedding the new prototypes) runs before the swap, so requests never
 * see a catalog whose prototypes are not ready.
 */
public final class CatalogWatcher implements Supplier<CategoryCatalog>, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatalogWatcher.class);

  private final Path dir;
  private final Consumer<CategoryCatalog> prepare;
  private final AtomicReference<CategoryCatalog> current;
  private volatile List<String> lastSignature;
  private volatile String lastRejection;
  private ScheduledExecutorService scheduler;

  /**
   * @param dir directory with the three category files
   * @param initial the catalog already loaded (and prepared) from {@code dir}
   * @param prepare work to finish before a new catalog is served; an exception rejects the catalog
   */
  public CatalogWatcher(Path dir, CategoryCatalog initial, Consumer<CategoryCatalog> prepare) {
    this.dir = Objects.requireNonNull(dir);
    this.prepare = Objects.requireNonNull(prepare);
    this.current = new AtomicReference<>(Objects.requireNonNull(initial));
    this.lastSignature = signature();
  }

  /** The catalog in service now. */
  @Override
  public CategoryCatalog get() {
    return current.get();
  }

  /** Why the last change was rejected, if the files currently on disk are not in service. */
  public Optional<String> lastRejection() {
    return Optional.ofNullable(lastRejection);
  }

  /**
   * Checks the files once.
   *
   * @return true when a new catalog was swapped in
   */
  public synchronized boolean pollOnce() {
    List<String> signature = signature();
    if (signature.equals(lastSignature)) {
      return false;
    }
    lastSignature = signature;
    CategoryCatalog candidate;
    try {
      candidate = CatalogLoader.fromDirectory(dir);
      if (candidate.version().equals(current.get().version())) {
        lastRejection = null;
        return false;
      }
      prepare.accept(candidate);
    } catch (CategoryConfigException | RuntimeException e) {
      lastRejection = e.getMessage();
      log.warn(
          "category files in {} rejected, keeping catalog {}: {}",
          dir,
          current.get().version(),
          e.getMessage());
      return false;
    }
    CategoryCatalog previous = current.getAndSet(candidate);
    lastRejection = null;
    log.info(
        "category catalog reloaded from {}: {} -> {} ({} categories: {})",
        dir,
        previous.version(),
        candidate.version(),
        candidate.ids().size(),
        candidate.ids());
    return true;
  }

  /** Starts polling every {@code period} on a daemon thread. */
  public synchronized CatalogWatcher start(Duration period) {
    if (scheduler == null) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "llm-category-watcher");
                thread.setDaemon(true);
                return thread;
              });
      long millis = Math.max(100, period.toMillis());
      scheduler.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      log.warn("category poll failed: {}", e.toString());
    }
  }

  private List<String> signature() {
    List<String> parts = new ArrayList<>();
    for (String name : CategoryFiles.ALL) {
      Path file = dir.resolve(name);
      try {
        parts.add(name + ":" + Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file));
      } catch (IOException e) {
        parts.add(name + ":missing");
      }
    }
    return parts;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
