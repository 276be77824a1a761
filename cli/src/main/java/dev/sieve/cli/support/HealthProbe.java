package dev.sieve.cli.support;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks a server's standard {@code grpc.health.v1} service how it is. Every Sieve service registers
 * it (core's GrpcServerLauncher) and reports SERVING only once its models are loaded and warmed, so
 * this is the one readiness signal the cli trusts.
 */
public final class HealthProbe implements AutoCloseable {

  /** Outcome of one probe, including the cases where no health answer came back. */
  public enum Health {
    SERVING,
    NOT_SERVING,
    /** Nothing listens on the port (yet). */
    UNREACHABLE,
    /** Something listens but does not implement grpc.health.v1. */
    NO_HEALTH_SERVICE,
    /** Connected, but no answer within the probe's deadline (busy or stuck). */
    NO_ANSWER,
    /** The probe failed another way (protocol error, non-gRPC server on the port). */
    UNKNOWN
  }

  private final HostPort target;
  private final ManagedChannel channel;

  public HealthProbe(HostPort target) {
    this.target = target;
    this.channel = Channels.open(target);
  }

  public HostPort target() {
    return target;
  }

  /** One health check with the given deadline; never throws. */
  public Health check(Duration deadline) {
    // A refused connection puts the channel into exponential reconnect backoff (up to 2 minutes);
    // while waiting for a service to come up we want every probe to really try.
    channel.resetConnectBackoff();
    try {
      HealthCheckResponse response =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .check(HealthCheckRequest.newBuilder().setService("").build());
      return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING
          ? Health.SERVING
          : Health.NOT_SERVING;
    } catch (StatusRuntimeException e) {
      if (GrpcErrors.isUnreachable(e)) {
        return Health.UNREACHABLE;
      }
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNIMPLEMENTED) {
        return Health.NO_HEALTH_SERVICE;
      }
      if (code == Status.Code.UNAVAILABLE) {
        return Health.UNREACHABLE;
      }
      if (code == Status.Code.DEADLINE_EXCEEDED) {
        return Health.NO_ANSWER;
      }
      return Health.UNKNOWN;
    }
  }

  @Override
  public void close() {
    Channels.close(channel);
  }
}
