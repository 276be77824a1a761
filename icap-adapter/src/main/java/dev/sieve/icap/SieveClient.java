package dev.sieve.icap;

import com.google.protobuf.ByteString;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.proto.v1.Action;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The adapter's one call to Sieve: the router's public {@code Classify}, with a deadline and a
 * bound on calls in flight. The adapter is a client of the router like any filtering stack; it
 * embeds no tier, so it scales and fails independently of the fleet.
 */
public final class SieveClient {

  /** What Sieve said, or why it could not say anything. */
  public sealed interface Outcome permits Verdict, Unavailable, Rejected {}

  /** A verdict from the router. */
  public record Verdict(ClassifyResponse response) implements Outcome {
    public boolean blocks() {
      return response.getAction() == Action.ACTION_BLOCK;
    }
  }

  /** No verdict in time: unreachable, deadline, overload, or the adapter's own bound full. */
  public record Unavailable(String why) implements Outcome {}

  /**
   * The router refused the request itself (INVALID_ARGUMENT, RESOURCE_EXHAUSTED for a body over its
   * limit...): there is no verdict to be had by waiting, and Sieve is up. Treated as allow: the
   * adapter cannot block what it cannot describe (a CONNECT to a bare IP:port, a page that is not
   * text), and the url was already checked in REQMOD.
   */
  public record Rejected(String why) implements Outcome {}

  private final ClassifierGrpc.ClassifierBlockingStub stub;
  private final Semaphore inFlight;

  public SieveClient(ClassifierGrpc.ClassifierBlockingStub stub, int maxInFlight) {
    this.stub = stub;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * Classifies; never blocks longer than {@code deadline} (waiting for a slot included).
   *
   * @param html page HTML in UTF-8, or empty for a URL-only (REQMOD) request
   */
  public Outcome classify(
      String url, byte[] html, String tenant, String requestId, Duration deadline) {
    long start = System.nanoTime();
    try {
      if (!inFlight.tryAcquire(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
        return new Unavailable(
            "adapter busy: " + "no free slot for Classify within " + deadline.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unavailable("interrupted");
    }
    try {
      long left = deadline.toNanos() - (System.nanoTime() - start);
      if (left <= 0) {
        return new Unavailable("deadline spent waiting for a slot");
      }
      ClassifyRequest.Builder request =
          ClassifyRequest.newBuilder().setTenantId(tenant).setRequestId(requestId);
      if (url != null) {
        request.setUrl(url);
      }
      if (html.length > 0) {
        request.setHtml(ByteString.copyFrom(html));
      }
      return new Verdict(
          stub.withDeadlineAfter(left, TimeUnit.NANOSECONDS).classify(request.build()));
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      String why =
          code
              + (e.getStatus().getDescription() == null
                  ? ""
                  : ": " + e.getStatus().getDescription());
      return switch (code) {
        case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> new Rejected(why);
        // Branch on the router's stable reason code, never on the message text.
        case RESOURCE_EXHAUSTED ->
            ErrorDetails.hasReason(e, ErrorReason.OVERLOADED)
                ? new Unavailable(why)
                : new Rejected(why);
        default -> new Unavailable(why);
      };
    } finally {
      inFlight.release();
    }
  }
}
