package dev.sieve.cli.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.sieve.cli.support.GrpcErrors;
import dev.sieve.core.grpc.DegradedVerdictRetry;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.core.util.ProgressMode;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.DegradedReason;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * <p>A batch wants every tier's opinion, not the latency an online caller needs, so it treats a
 * degraded verdict (a tier TIMEOUT, REJECTED, CIRCUIT_OPEN or ERROR: overloaded by the batch's own
 * load, or down) as a load signal and not as an answer: the number of items in flight adapts
 * ({@link AdaptiveInFlight}: halved on a degraded answer, grown back by one per window of healthy
 * ones), and the item is classified again, one at a time and bypassing the verdict cache, after a
 * back-off that outlasts the router's breaker wait ({@link DegradedVerdictRetry}). The retry's
 * verdict is written when it has fewer unavailable tiers; after {@link #TIER_DOWN_ITEMS} items in a
 * row that no retry could heal, a tier is taken to be down and later items are not retried. Every
 * written verdict says whether it is degraded ({@code degraded}, {@code degraded_reasons}), so a
 * consumer never mistakes a fail-closed answer for the fleet's judgement of the item.
 */
public final class BatchRunner {

  /** Error code written for lines that could not be read as an item. */
  public static final String INVALID_INPUT = "INVALID_ARGUMENT";

  private final ClassifierGrpc.ClassifierStub stub;
  private final Options options;

  /** Per-run settings. */
  public record Options(
      int concurrency, Duration deadline, String tenant, List<String> tiers, boolean bypassCache) {
    public Options {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
      }
      tiers = List.copyOf(tiers);
      tenant = tenant == null ? "" : tenant;
    }
  }

  private final ClassifierGrpc.ClassifierBlockingStub retryStub;
  private final ExecutorService retries =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "classify-batch-retry");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong stillDegraded = new AtomicLong();
  private final AtomicInteger unhealedInARow = new AtomicInteger();

  /** Items in a row whose retries all came back degraded before the batch stops retrying. */
  static final int TIER_DOWN_ITEMS = 3;

  private final long[] backoffMillis;

  public BatchRunner(ClassifierGrpc.ClassifierStub stub, Options options) {
    this(stub, options, DegradedVerdictRetry.backoffMillis());
  }

  /** With another retry back-off (tests). */
  BatchRunner(ClassifierGrpc.ClassifierStub stub, Options options, long[] backoffMillis) {
    this.stub = stub;
    this.options = options;
    this.retryStub = ClassifierGrpc.newBlockingStub(stub.getChannel());
    this.backoffMillis = backoffMillis.clone();
  }

  /** Items whose first verdict had an unavailable tier and were classified again. */
  public long retried() {
    return retried.get();
  }

  /** Items written with a degraded verdict because no retry (or none allowed) healed them. */
  public long stillDegraded() {
    return stillDegraded.get();
  }

  /**
   * A consulted tier did not answer on its own account (its timeout, a full queue, an open breaker,
   * an error): the verdict is the policy's guess for what that tier covers, not the fleet's
   * judgement, and worth a calmer attempt.
   */
  static boolean tierUnavailable(ClassifyResponse response) {
    return unavailableTiers(response) > 0
        || response
            .getDegradedReasonsList()
            .contains(DegradedReason.DEGRADED_REASON_TIER_UNAVAILABLE);
  }

  private static long unavailableTiers(ClassifyResponse r) {
    return r.getTiersList().stream()
        .filter(
            t ->
                switch (t.getState()) {
                  case TIER_STATE_TIMEOUT,
                      TIER_STATE_REJECTED,
                      TIER_STATE_CIRCUIT_OPEN,
                      TIER_STATE_ERROR ->
                      true;
                  default -> false;
                })
        .count();
  }

  /**
   * Sequential retries with back-off; the best verdict seen (fewest unavailable tiers, the first on
   * a tie). Not retried once {@link #TIER_DOWN_ITEMS} items in a row stayed degraded.
   */
  private ClassifyResponse retry(BatchItem item, ClassifyResponse first) {
    if (unhealedInARow.get() >= TIER_DOWN_ITEMS) {
      stillDegraded.incrementAndGet();
      return first;
    }
    retried.incrementAndGet();
    ClassifyResponse best = first;
    for (long wait : backoffMillis) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        ClassifyResponse again =
            retryStub
                .withDeadlineAfter(options.deadline().toMillis(), TimeUnit.MILLISECONDS)
                .classify(request(item).toBuilder().setBypassCache(true).build());
        if (unavailableTiers(again) < unavailableTiers(best) || !tierUnavailable(again)) {
          best = again;
        }
        if (!tierUnavailable(again)) {
          unhealedInARow.set(0);
          return again;
        }
      } catch (RuntimeException e) {
        // The retry itself failed (deadline, router restarting): the next back-off step tries
        // again.
      }
    }
    unhealedInARow.incrementAndGet();
    stillDegraded.incrementAndGet();
    return best;
  }

  /**
   * Runs the batch.
   *
   * @param progress how to report progress ({@link ProgressMode#OFF} in tests)
   * @throws IOException when the input cannot be read or the output cannot be written
   */
  public BatchSummary run(Path in, Path out, PrintWriter err, ProgressMode progress)
      throws IOException {
    long startNanos = System.nanoTime();
    int total = BatchInput.count(in);
    // Consecutive "cannot connect" failures before giving up: the router went away mid-batch.
    int unreachableLimit = Math.max(20, options.concurrency() * 2);
    int windowSize = Math.max(64, options.concurrency() * 8);
    AdaptiveInFlight inFlight = new AdaptiveInFlight(options.concurrency());
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
        ProgressBar bar =
            new ProgressBar(
                err, progress, total, () -> ok.get() + errorCount.get(), errorCount::get)) {
      while (input.hasNext()) {
        if (consecutiveUnreachable.get() >= unreachableLimit) {
          unreachable = true;
          abortReason =
              "the router became unreachable ("
                  + unreachableLimit
                  + " consecutive connection failures)";
          break;
        }
        if (writer.failure() != null) {
          abortReason = "cannot write " + out + ": " + writer.failure().getMessage();
          break;
        }
        BatchItem item = input.next();
        acquire(window);
        if (!item.isValid()) {
          inFlight.acquireNow();
          recordError(errors, errorCount, INVALID_INPUT);
          writer.complete(
              item.index(),
              BatchResults.toLine(BatchResults.error(item, INVALID_INPUT, item.inputError())));
          inFlight.release();
          continue;
        }
        long epoch = inFlight.acquire();
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
                    // The router itself shedding or timing out is the same load signal as a tier's.
                    inFlight.signal(epoch, !loadSignal(t));
                    recordError(errors, errorCount, code);
                    String message =
                        status.getDescription() != null
                            ? status.getDescription()
                            : String.valueOf(status.getCause());
                    finish(
                        BatchResults.error(item, code, message, ErrorDetails.reason(t).orElse("")));
                  }

                  @Override
                  public void onCompleted() {
                    consecutiveUnreachable.set(0);
                    if (response == null) {
                      recordError(errors, errorCount, "INTERNAL");
                      finish(
                          BatchResults.error(
                              item,
                              "INTERNAL",
                              "the router completed the call without a response"));
                      return;
                    }
                    ok.incrementAndGet();
                    boolean degraded = tierUnavailable(response);
                    inFlight.signal(epoch, !degraded);
                    if (degraded) {
                      // The in-flight slot stays held while the item waits for its retry.
                      ClassifyResponse first = response;
                      retries.execute(() -> finish(BatchResults.success(item, retry(item, first))));
                      return;
                    }
                    finish(BatchResults.success(item, response));
                  }

                  private void finish(ObjectNode line) {
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
      long retryMillis =
          Arrays.stream(backoffMillis).sum() + options.deadline().toMillis() * backoffMillis.length;
      long drainMillis =
          options.deadline().toMillis() * (2 + Math.min(options.concurrency(), 64))
              + retryMillis * Math.min(options.concurrency(), 64)
              + 30_000;
      if (!inFlight.awaitIdle(drainMillis)) {
        abortReason = "gave up waiting for in-flight items after " + drainMillis / 1000 + " s";
      }
      if (total > 0 && unreachableItems.get() == total) {
        // Every item failed to connect (a batch smaller than the abort limit): that is not a
        // result.
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
      if (inFlight.lowest() < inFlight.max()) {
        err.println(
            "sieve classify-batch: degraded answers lowered the items in flight from "
                + inFlight.max()
                + " to as few as "
                + inFlight.lowest()
                + " (the fleet could not sustain more)");
      }
      if (retried.get() > 0) {
        err.println(
            "sieve classify-batch: "
                + retried.get()
                + " item(s) classified again, one at a time, after a"
                + " tier was unavailable (TIMEOUT, REJECTED, CIRCUIT_OPEN or ERROR) under the batch's load");
      }
      if (stillDegraded.get() > 0) {
        err.println(
            "sieve classify-batch: WARNING "
                + stillDegraded.get()
                + " item(s) written with a degraded verdict"
                + " (a tier stayed unavailable"
                + (unhealedInARow.get() >= TIER_DOWN_ITEMS
                    ? "; it looks down, later items" + " were not retried"
                    : "")
                + "): their lines say \"degraded\": true; check ./sieve status");
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

  private static void recordError(
      Map<String, LongAdder> errors, AtomicLong errorCount, String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    errorCount.incrementAndGet();
  }

  /** Statuses by which the router says it is overloaded (not that the item is bad). */
  /**
   * True when a failed item says the router is loaded (back off), decided on the status code and
   * the stable reason: RESOURCE_EXHAUSTED for a body over the router's limit (reason
   * BODY_TOO_LARGE) is a property of the item, not load.
   */
  static boolean loadSignal(Throwable error) {
    Status.Code code = Status.fromThrowable(error).getCode();
    if (code == Status.Code.RESOURCE_EXHAUSTED) {
      return !ErrorDetails.hasReason(error, ErrorReason.BODY_TOO_LARGE);
    }
    return code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE;
  }

  private static void acquire(Semaphore semaphore) throws InterruptedException {
    semaphore.acquire();
  }
}
