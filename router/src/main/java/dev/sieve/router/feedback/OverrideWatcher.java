package dev.sieve.router.feedback;

import dev.sieve.proto.v1.FeedbackGrpc;
import dev.sieve.proto.v1.OverrideSet;
import dev.sieve.proto.v1.WatchOverridesRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link HostOverrideRegistry}'s stream source in step with the annotation app through {@code
 * Feedback.WatchOverrides}, reconnecting with exponential back-off (1 s doubling to 30 s, with
 * jitter so a fleet of routers does not reconnect in step) whenever the stream ends.
 *
 * <p>While the stream is down the last set stays in force: an override created before the outage
 * still applies, and every override still expires on time because the registry checks expiry
 * against the clock. What an outage delays is only news: a new or revoked override reaches the
 * router when the stream is back (the first message of a new stream is the whole current set).
 */
public final class OverrideWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OverrideWatcher.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final FeedbackGrpc.FeedbackStub stub;
  private final HostOverrideRegistry registry;
  private final ScheduledExecutorService scheduler;
  private final String watcher;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean connected;
  private volatile ClientCallStreamObserver<WatchOverridesRequest> call;
  private long backoffMillis = FIRST_BACKOFF.toMillis();

  public OverrideWatcher(
      Channel feedback,
      HostOverrideRegistry registry,
      ScheduledExecutorService scheduler,
      String watcher) {
    this.stub = FeedbackGrpc.newStub(feedback);
    this.registry = registry;
    this.scheduler = scheduler;
    this.watcher = watcher;
  }

  /** Opens the stream (and keeps reopening it until {@link #close()}). */
  public void start() {
    connect();
  }

  /** True while a stream is open and has delivered its first set. */
  public boolean connected() {
    return connected;
  }

  private void connect() {
    if (closed.get()) {
      return;
    }
    stub.watchOverrides(
        WatchOverridesRequest.newBuilder().setWatcher(watcher).build(), new Observer());
  }

  private final class Observer
      implements ClientResponseObserver<WatchOverridesRequest, OverrideSet> {
    private boolean first = true;

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchOverridesRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(OverrideSet set) {
      registry.replace(HostOverrideRegistry.Source.STREAM, set, !first);
      if (first) {
        log.info(
            "override stream connected: revision {}, {} override(s)",
            set.getRevision(),
            set.getOverridesCount());
        first = false;
        connected = true;
        synchronized (OverrideWatcher.this) {
          backoffMillis = FIRST_BACKOFF.toMillis();
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      ended(Status.fromThrowable(error).toString());
    }

    @Override
    public void onCompleted() {
      ended("completed by the server");
    }

    private void ended(String why) {
      connected = false;
      if (closed.get()) {
        return;
      }
      long delay;
      synchronized (OverrideWatcher.this) {
        delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
      }
      long jittered = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
      log.warn(
          "override stream ended ({}); the {} override(s) held stay in force until they expire; "
              + "reconnecting in {} ms",
          why,
          registry.activeCount(),
          jittered);
      try {
        scheduler.schedule(OverrideWatcher.this::connect, jittered, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // shutting down
      }
    }
  }

  @Override
  public void close() {
    closed.set(true);
    ClientCallStreamObserver<WatchOverridesRequest> current = call;
    if (current != null) {
      current.cancel("router shutting down", null);
    }
  }
}
