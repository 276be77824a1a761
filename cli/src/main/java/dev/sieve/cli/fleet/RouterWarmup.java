package dev.sieve.cli.fleet;

import com.google.protobuf.ByteString;
import dev.sieve.cli.support.Channels;
import dev.sieve.cli.support.HostPort;
import dev.sieve.core.grpc.ShortNames;
import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.proto.v1.ClassifyResponse;
import dev.sieve.proto.v1.TierState;
import dev.sieve.proto.v1.TierStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * After every process reports SERVING, sends diagnostic Classify calls through the router until it
 * reaches every started tier.
 *
 * <p>Health SERVING only says each process is ready on its own: the router may still hold a channel
 * to a tier that was not up yet when it first tried (waiting out a reconnect backoff), and its own
 * code path is cold. A first real request would then meet a tier ERROR or TIMEOUT and, for
 * fail-closed categories, a BLOCK that has nothing to do with the URL. Warming up here makes the
 * first user-visible verdict the real one; it never fails {@code up} (a tier the router cannot
 * reach is reported, and every response says so too).
 */
final class RouterWarmup {

  private RouterWarmup() {}

  static void run(int routerPort, List<String> tiers, Duration budget, PrintWriter out) {
    if (tiers.isEmpty()) {
      return;
    }
    ManagedChannel channel = Channels.open(HostPort.loopback(routerPort));
    long deadline = System.nanoTime() + budget.toNanos();
    Map<String, String> last = new TreeMap<>();
    int calls = 0;
    try {
      while (System.nanoTime() < deadline) {
        calls++;
        try {
          ClassifyResponse response =
              ClassifierGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .classify(
                      ClassifyRequest.newBuilder()
                          .setUrl("https://www.example.com/")
                          .setText(ByteString.copyFromUtf8("Sieve warm-up request."))
                          .setRequestId("sieve-up-warmup-" + calls)
                          .setBypassCache(true)
                          .addAllTiers(tiers)
                          .build());
          last.clear();
          for (TierStatus status : response.getTiersList()) {
            if (tiers.contains(status.getTier())) {
              last.put(status.getTier(), ShortNames.tierState(status.getState()));
            }
          }
          boolean allOk =
              response.getTiersList().stream()
                  .filter(s -> tiers.contains(s.getTier()))
                  .allMatch(s -> s.getState() == TierState.TIER_STATE_OK);
          if (allOk && last.size() == tiers.size()) {
            out.printf(
                "Router reaches every tier (%s) after %d warm-up call(s).%n",
                String.join(", ", tiers), calls);
            return;
          }
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
            // No Classifier on that port (a stand-in router): no number of calls will change that.
            out.printf("WARNING: the router does not implement sieve.v1.Classifier; no warm-up.%n");
            return;
          }
          last.put("router", e.getStatus().getCode().name());
        }
        sleep(250);
      }
      out.printf(
          "WARNING: after %d warm-up call(s) the router does not reach every tier yet: %s%n",
          calls, last);
    } finally {
      Channels.close(channel);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
