package dev.sieve.cli.batch;

import com.google.protobuf.ByteString;
import dev.sieve.cli.support.GrpcErrors;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Classifies every item of an input file with async unary Classify calls, at most {@code
 * concurrency} in flight, each with its own deadline, and writes one output line per item in input
 * order. Unary calls (rather than ClassifyStream) keep every item independent: one slow or failing
 * item costs only itself, never the stream.
 *
 * <p>A verdict in which a tier was overloaded (TIMEOUT or REJECTED: its queue was full or its time
 * budget ran out behind the batch's own load) is retried once, one at a time and bypassing the
 * verdict cache, because a batch wants every tier's opinion, not the latency an online caller
 * needs. The retry's verdict is written when it completes with every tier answering or at least as
 * well as the first one; otherwise the first verdict stands (its tier states say it is degraded).
 */
public final class BatchRunner {

  /** Error code written for lines that could not be read as an item. */
  public static final String INVALID_INPUT = "INVALID_ARGUMENT";

  private final ClassifierGrpc.ClassifierStub stub;
  private final Options options;

  /** Per-run settings. */
  public record Options(int concurrency, Duration deadline, String tenant, List<String> tiers, boolean bypassCache) {
    public Options {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
      }
      tiers = List.copyOf(tiers);
      tenant = tenant == null ? "" : tenant;
    }
  }

  private final ClassifierGrpc.ClassifierBlockingStub retryStub;
  private final java.util.concurrent.ExecutorService retries =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "classify-batch-retry");
        t.setDaemon(true);
        return t;
      });
  private final AtomicLong retried = new AtomicLong();

  public BatchRunner(ClassifierGrpc.ClassifierStub stub, Options options) {
    this.stub = stub;
    this.options = options;
    this.retryStub = ClassifierGrpc.newBlockingStub(stub.getChannel());
  }

  /** Items whose first verdict had an overloaded tier and were classified again. */
  public long retried() {
    return retried.get();
  }

  /** A tier ran out of time or queue behind the batch's own load: worth one calmer attempt. */
  static boolean overloaded(ClassifyResponse response) {
    return response.getTiersList().stream().anyMatch(
        t -> t.getState() == dev.sieve.proto.v1.TierState.TIMEOUT || t.getState() == dev.sieve.proto.v1.TierState.REJECTED);
  }

  /** One sequential retry; the first verdict when the retry fails or is no better. */
  private ClassifyResponse retry(BatchItem item, ClassifyResponse first) {
    retried.incrementAndGet();
    try {
      ClassifyResponse again = retryStub.withDeadlineAfter(options.deadline().toMillis(), TimeUnit.MILLISECONDS)
          .classify(request(item).toBuilder().setBypassCache(true).build());
      return overloaded(again) && degradedTiers(again) > degradedTiers(first) ? first : again;
    } catch (RuntimeException e) {
      return first;
    }
  }

  private static long degradedTiers(ClassifyResponse r) {
    return r.getTiersList().stream().filter(t -> t.getState() == dev.sieve.proto.v1.TierState.TIMEOUT
        || t.getState() == dev.sieve.proto.v1.TierState.REJECTED).count();
  }

  /**
   * Runs the batch.
   *
   * @param progress how to report progress ({@link ProgressBar.Mode#OFF} in tests)
   * @throws IOException when the input cannot be read or the output cannot be written
   */
  public BatchSummary run(Path in, Path out, PrintWriter err, ProgressBar.Mode progress) throws IOException {
    long startNanos = System.nanoTime();
    int total = BatchInput.count(in);
    // Consecutive "cannot connect" failures before giving up: the router went away mid-batch.
    int unreachableLimit = Math.max(20, options.concurrency() * 2);
    int windowSize = Math.max(64, options.concurrency() * 8);
    Semaphore inFlight = new Semaphore(options.concurrency());
    Semaphore window = new Semaphore(windowSize);
    AtomicLong ok = new AtomicLong();
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    AtomicLong errorCount = new AtomicLong();
    AtomicInteger consecutiveUnreachable = new AtomicInteger();
    AtomicInteger unreachableItems = new AtomicInteger();
    String abortReason = null;
    boolean unreachable = false;

    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BufferedWriter writerOut = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    try (BatchInput input = BatchInput.open(in);
        OrderedWriter writer = new OrderedWriter(writerOut, window);
        ProgressBar bar = new ProgressBar(err, progress, total, () -> ok.get() + errorCount.get(), errorCount::get)) {
      while (input.hasNext()) {
        if (consecutiveUnreachable.get() >= unreachableLimit) {
          unreachable = true;
          abortReason = "the router became unreachable (" + unreachableLimit + " consecutive connection failures)";
          break;
        }
        if (writer.failure() != null) {
          abortReason = "cannot write " + out + ": " + writer.failure().getMessage();
          break;
        }
        BatchItem item = input.next();
        acquire(window);
        acquire(inFlight);
        if (!item.isValid()) {
          recordError(errors, errorCount, INVALID_INPUT);
          writer.complete(item.index(), BatchResults.toLine(BatchResults.error(item, INVALID_INPUT, item.inputError())));
          inFlight.release();
          continue;
        }
        stub.withDeadlineAfter(options.deadline().toMillis(), TimeUnit.MILLISECONDS)
            .classify(
                request(item),
                new StreamObserver<>() {
                  private ClassifyResponse response;

                  @Override
                  public void onNext(ClassifyResponse value) {
                    response = value;
                  }

                  @Override
                  public void onError(Throwable t) {
                    Status status = Status.fromThrowable(t);
                    if (GrpcErrors.isUnreachable(t)) {
                      consecutiveUnreachable.incrementAndGet();
                      unreachableItems.incrementAndGet();
                    } else {
                      consecutiveUnreachable.set(0);
                    }
                    String code = status.getCode().name();
                    recordError(errors, errorCount, code);
                    String message = status.getDescription() != null ? status.getDescription() : String.valueOf(status.getCause());
                    finish(BatchResults.error(item, code, message));
                  }

                  @Override
                  public void onCompleted() {
                    consecutiveUnreachable.set(0);
                    if (response == null) {
                      recordError(errors, errorCount, "INTERNAL");
                      finish(BatchResults.error(item, "INTERNAL", "the router completed the call without a response"));
                      return;
                    }
                    ok.incrementAndGet();
                    if (overloaded(response)) {
                      // The in-flight permit stays held while the item waits for its retry.
                      ClassifyResponse first = response;
                      retries.execute(() -> finish(BatchResults.success(item, retry(item, first))));
                      return;
                    }
                    finish(BatchResults.success(item, response));
                  }

                  private void finish(com.fasterxml.jackson.databind.node.ObjectNode line) {
                    try {
                      writer.complete(item.index(), BatchResults.toLine(line));
                    } finally {
                      inFlight.release();
                    }
                  }
                });
      }
      // Every call has a deadline, so every callback comes; the margin covers a stalled transport
      // and the sequential retries still queued.
      long drainMillis = options.deadline().toMillis() * (2 + Math.min(options.concurrency(), 64)) + 30_000;
      if (!inFlight.tryAcquire(options.concurrency(), drainMillis, TimeUnit.MILLISECONDS)) {
        abortReason = "gave up waiting for in-flight items after " + drainMillis / 1000 + " s";
      }
      if (total > 0 && unreachableItems.get() == total) {
        // Every item failed to connect (a batch smaller than the abort limit): that is not a result.
        unreachable = true;
        if (abortReason == null) {
          abortReason = "the router was unreachable for every item";
        }
      }
      if (writer.failure() != null && abortReason == null) {
        abortReason = "cannot write " + out + ": " + writer.failure().getMessage();
      }
      bar.close();
      retries.shutdown();
      if (retried.get() > 0) {
        err.println("sieve classify-batch: " + retried.get() + " item(s) classified again, one at a time, after a"
            + " tier answered TIMEOUT or REJECTED under the batch's load");
      }
      int written = writer.written();
      Map<String, Long> counts = new TreeMap<>();
      errors.forEach((code, adder) -> counts.put(code, adder.sum()));
      return new BatchSummary(
          total,
          written,
          ok.get(),
          new TreeMap<>(counts),
          Duration.ofNanos(System.nanoTime() - startNanos),
          abortReason,
          unreachable);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private ClassifyRequest request(BatchItem item) {
    ClassifyRequest.Builder request =
        ClassifyRequest.newBuilder()
            .setTenantId(item.tenant() != null ? item.tenant() : options.tenant())
            .addAllTiers(options.tiers())
            .setBypassCache(options.bypassCache());
    if (item.url() != null) {
      request.setUrl(item.url());
    }
    if (item.html() != null) {
      request.setHtml(ByteString.copyFromUtf8(item.html()));
    }
    if (item.text() != null) {
      request.setText(ByteString.copyFromUtf8(item.text()));
    }
    return request.build();
  }

  private static void recordError(Map<String, LongAdder> errors, AtomicLong errorCount, String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    errorCount.incrementAndGet();
  }

  private static void acquire(Semaphore semaphore) throws InterruptedException {
    semaphore.acquire();
  }
}
