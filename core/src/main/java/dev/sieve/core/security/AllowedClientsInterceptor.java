package dev.sieve.core.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * Lets only the named client-certificate identities call the intercepted services: on a tier, the
 * router's certificate. A CA that also signs other workloads' certificates (a shared cluster
 * issuer) therefore does not let them call {@code Score} directly.
 *
 * <p>No certificate: UNAUTHENTICATED. A certificate whose identities are all outside the list:
 * PERMISSION_DENIED, naming what it presented (the identities are not secret).
 */
public final class AllowedClientsInterceptor implements ServerInterceptor {

  private final Set<String> allowed;

  public AllowedClientsInterceptor(Set<String> allowed) {
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("the allowed client identities must not be empty");
    }
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Set<String> presented = PeerIdentity.of(call);
    if (presented.isEmpty()) {
      call.close(
          Status.UNAUTHENTICATED.withDescription("a client certificate is required"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    for (String identity : presented) {
      if (allowed.contains(identity)) {
        return next.startCall(call, headers);
      }
    }
    call.close(
        Status.PERMISSION_DENIED.withDescription(
            "client certificate "
                + presented
                + " may not call "
                + call.getMethodDescriptor().getServiceName()),
        new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
