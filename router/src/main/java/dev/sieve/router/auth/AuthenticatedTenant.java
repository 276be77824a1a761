package dev.sieve.router.auth;

import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.proto.v1.ClassifyRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;

/**
 * The tenant a Classify caller authenticated as, carried in the call's gRPC {@link Context} from
 * {@link TenantAuthInterceptor} to the classification engine, and the rule that binds it to each
 * request:
 *
 * <ul>
 *   <li>a request without {@code tenant_id} is classified as the authenticated tenant (the
 *       credential names the tenant, so a caller need not repeat it);
 *   <li>a request naming the authenticated tenant proceeds;
 *   <li>a request naming another tenant is refused with PERMISSION_DENIED (a unary call fails; a
 *       stream item gets an {@code ItemError} and the stream stays open). It is refused rather than
 *       silently re-labelled so that a misconfigured filtering stack sees its mistake instead of
 *       getting another tenant's policy without noticing.
 * </ul>
 *
 * Without client authentication (loopback development or {@code SIEVE_CLIENT_AUTH=off}) there is no
 * authenticated tenant and requests are taken as they are.
 */
public final class AuthenticatedTenant {

  /** The authenticated tenant id; absent when client authentication is off. */
  public static final Context.Key<String> KEY = Context.key("sieve.authenticated-tenant");

  private AuthenticatedTenant() {}

  /**
   * Applies the rule of the class comment.
   *
   * @param context the call's context (null: no authentication)
   * @throws StatusException PERMISSION_DENIED when the request names another tenant
   */
  public static ClassifyRequest bind(ClassifyRequest request, Context context)
      throws StatusException {
    String authenticated = context == null ? null : KEY.get(context);
    if (authenticated == null) {
      return request;
    }
    String named = request.getTenantId();
    if (named.isEmpty()) {
      return request.toBuilder().setTenantId(authenticated).build();
    }
    if (!named.equals(authenticated)) {
      throw ErrorDetails.error(
          Status.Code.PERMISSION_DENIED,
          ErrorReason.TENANT_MISMATCH,
          "authenticated as tenant '" + authenticated + "', request names tenant '" + named + "'",
          "tenant_id");
    }
    return request;
  }
}
