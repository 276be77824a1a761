package dev.sieve.router.auth;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.core.security.PeerIdentity;
import dev.sieve.router.logging.RateLimitedLog;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every Classify call as one tenant, from an API key ({@code authorization: Bearer
 * <key>}) or a verified client certificate whose identity the client-auth file lists, and puts the
 * tenant in the call's context ({@link AuthenticatedTenant}) where the engine binds it to each
 * request.
 *
 * <ul>
 *   <li>no credential, a malformed {@code authorization} header, an unknown key, or a certificate
 *       no tenant lists: UNAUTHENTICATED;
 *   <li>an API key and a certificate of two different tenants: PERMISSION_DENIED (ambiguous).
 * </ul>
 *
 * Refusals are logged with the peer address and reason (never the key), at most one line per second
 * per status, through the router's one throttled logger ({@link RateLimitedLog}), whose next line
 * says how many were held back.
 */
public final class TenantAuthInterceptor implements ServerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(TenantAuthInterceptor.class);

  /** The header API keys travel in. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final String BEARER = "Bearer ";

  private final Supplier<TenantCredentials> credentials;
  private final RateLimitedLog refusals =
      new RateLimitedLog(log, Duration.ofSeconds(1), System::nanoTime);

  public TenantAuthInterceptor(Supplier<TenantCredentials> credentials) {
    this.credentials = credentials;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    TenantCredentials current = credentials.get();
    Optional<String> keyTenant = Optional.empty();
    String authorization = headers.get(AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
          || authorization.length() == BEARER.length()) {
        return refuse(
            call, Status.UNAUTHENTICATED, "the authorization header must be 'Bearer <api key>'");
      }
      keyTenant = current.tenantOfKey(authorization.substring(BEARER.length()).strip());
      if (keyTenant.isEmpty()) {
        return refuse(call, Status.UNAUTHENTICATED, "unknown API key");
      }
    }
    Set<String> identities = PeerIdentity.of(call);
    Optional<String> certificateTenant = current.tenantOfCertificate(identities);
    if (keyTenant.isPresent()
        && certificateTenant.isPresent()
        && !keyTenant.equals(certificateTenant)) {
      return refuse(
          call,
          Status.PERMISSION_DENIED,
          "the API key and the client certificate belong to different tenants");
    }
    Optional<String> tenant = keyTenant.or(() -> certificateTenant);
    if (tenant.isEmpty()) {
      return refuse(
          call,
          Status.UNAUTHENTICATED,
          identities.isEmpty()
              ? "credentials required: send 'authorization: Bearer <api key>' or a client certificate"
              : "client certificate " + identities + " is not registered for any tenant");
    }
    Context context = Context.current().withValue(AuthenticatedTenant.KEY, tenant.get());
    return Contexts.interceptCall(context, call, headers, next);
  }

  private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, Status status, String reason) {
    refusals.warn(
        "refused/" + status.getCode(),
        "{} {} from {}: {}",
        call.getMethodDescriptor().getFullMethodName(),
        status.getCode(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        reason);
    ErrorReason code =
        status.getCode() == Status.Code.PERMISSION_DENIED
            ? ErrorReason.TENANT_MISMATCH
            : ErrorReason.UNAUTHENTICATED;
    // The google.rpc.Status details (ErrorInfo) travel in the trailers, as for every other refusal.
    StatusException rich = ErrorDetails.error(status.getCode(), code, reason);
    Metadata trailers = rich.getTrailers() == null ? new Metadata() : rich.getTrailers();
    call.close(rich.getStatus(), trailers);
    return new ServerCall.Listener<>() {};
  }
}
