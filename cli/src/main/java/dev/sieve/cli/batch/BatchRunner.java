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

  public BatchRunner(ClassifierGrpc.ClassifierStub stub, Options options) {
    this.stub = stub;
    this.options = options;
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
      // Every call has a deadline, so every callback comes; the margin covers a stalled transport.
      long drainMillis = options.deadline().toMillis() + 30_000;
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
