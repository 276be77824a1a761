package dev.sieve.core.telemetry;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Request rate and latency histogram per RPC and status code ({@code
 * sieve_grpc_server_seconds{grpc_service, grpc_method, grpc_code}}), the SRE's first look at a
 * service. Service and method are separate labels (as in the gRPC ecosystem's Prometheus
 * conventions), so one query can sum over a service's methods.
 */
final class GrpcMetricsInterceptor implements ServerInterceptor {

  private final MeterRegistry registry;

  GrpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    long start = System.nanoTime();
    var descriptor = call.getMethodDescriptor();
    String service = descriptor.getServiceName();
    String method = descriptor.getBareMethodName();
    ServerCall<ReqT, RespT> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            Timer.builder("sieve.grpc.server")
                .description("Server-side gRPC latency by service, method and status")
                .tag("grpc_service", service == null ? "" : service)
                .tag("grpc_method", method == null ? "" : method)
                .tag("grpc_code", status.getCode().name())
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        };
    return next.startCall(timed, headers);
  }
}
