package dev.sieve.core.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a service answer a request message that does not parse (invalid UTF-8 in a proto3 {@code
 * string} field, truncated or random bytes) with INVALID_ARGUMENT and a description saying what was
 * wrong, instead of grpc-java's UNKNOWN "Application error processing RPC".
 *
 * <p>Why here: grpc-java parses the request with the method's marshaller before any interceptor or
 * service code runs, and turns a parse failure into UNKNOWN — a status that tells a client nothing
 * and that looks like a server bug on dashboards. The guard gives each method a pass-through
 * request marshaller and parses the bytes itself with the method's own marshaller, so parsing is
 * unchanged (same code, same zero-copy stream) and only a failure is answered differently. It wraps
 * the service innermost, so the telemetry interceptors still see (and count) the refusal. Each
 * refusal is counted in the {@link RejectedRequestLog}, which logs a summary line per interval.
 */
public final class MalformedRequestGuard {

  private static final MethodDescriptor.Marshaller<InputStream> PASS_THROUGH =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  private final RejectedRequestLog rejections;

  public MalformedRequestGuard(RejectedRequestLog rejections) {
    this.rejections = rejections;
  }

  /** {@code service} with every method's request parsed by this guard. */
  public ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<MethodDescriptor<?, ?>> descriptors = new ArrayList<>();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<InputStream, ?> guarded = guardMethod(method);
      descriptors.add(guarded.getMethodDescriptor());
      methods.add(guarded);
    }
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    descriptors.forEach(descriptor::addMethod);
    ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(guarded::addMethod);
    return guarded.build();
  }

  private <ReqT, RespT> ServerMethodDefinition<InputStream, RespT> guardMethod(
      ServerMethodDefinition<ReqT, RespT> method) {
    MethodDescriptor<ReqT, RespT> typed = method.getMethodDescriptor();
    MethodDescriptor<InputStream, RespT> raw =
        typed.toBuilder(PASS_THROUGH, typed.getResponseMarshaller()).build();
    ServerCallHandler<ReqT, RespT> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(
        raw,
        (call, headers) -> {
          TypedCall<ReqT, RespT> typedCall = new TypedCall<>(call, typed);
          ServerCall.Listener<ReqT> listener = handler.startCall(typedCall, headers);
          return new ParsingListener<>(listener, typedCall, rejections);
        });
  }

  /** The reason a parse failed, for the status description: the protobuf parser's own words. */
  static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidProtocolBufferException) {
        return t.getMessage() == null
            ? "not a valid protobuf message"
            : t.getMessage().replaceAll("\\s+", " ").strip();
      }
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  /** Parses each message; after a refusal the service hears only that the call was cancelled. */
  private static final class ParsingListener<ReqT, RespT> extends ServerCall.Listener<InputStream> {
    private final ServerCall.Listener<ReqT> delegate;
    private final TypedCall<ReqT, RespT> call;
    private final RejectedRequestLog rejections;
    private boolean refused;
    private boolean endDelivered;

    ParsingListener(
        ServerCall.Listener<ReqT> delegate,
        TypedCall<ReqT, RespT> call,
        RejectedRequestLog rejections) {
      this.delegate = delegate;
      this.call = call;
      this.rejections = rejections;
    }

    @Override
    public void onMessage(InputStream message) {
      if (refused) {
        return;
      }
      ReqT parsed;
      try {
        parsed = call.typedMethod().parseRequest(message);
      } catch (RuntimeException e) {
        refused = true;
        String method = call.typedMethod().getFullMethodName();
        String reason = reason(e);
        rejections.record(Status.Code.INVALID_ARGUMENT, method + ": " + reason);
        call.refuse(
            Status.INVALID_ARGUMENT.withDescription(
                "malformed request message for " + method + ": " + reason));
        return;
      }
      delegate.onMessage(parsed);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        delegate.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        delegate.onReady();
      }
    }

    @Override
    public void onCancel() {
      end();
    }

    @Override
    public void onComplete() {
      if (refused) {
        end();
      } else if (!endDelivered) {
        endDelivered = true;
        delegate.onComplete();
      }
    }

    private void end() {
      if (!endDelivered) {
        endDelivered = true;
        delegate.onCancel();
      }
    }
  }

  /**
   * The call as the service sees it: typed with the method's real descriptor. Once the guard has
   * refused the request, whatever the service still sends is dropped (the call is over for it).
   */
  private static final class TypedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final ServerCall<InputStream, RespT> raw;
    private final MethodDescriptor<ReqT, RespT> typed;
    private volatile boolean closed;

    TypedCall(ServerCall<InputStream, RespT> raw, MethodDescriptor<ReqT, RespT> typed) {
      this.raw = raw;
      this.typed = typed;
    }

    MethodDescriptor<ReqT, RespT> typedMethod() {
      return typed;
    }

    synchronized void refuse(Status status) {
      if (!closed) {
        closed = true;
        raw.close(status, new Metadata());
      }
    }

    @Override
    public void request(int numMessages) {
      raw.request(numMessages);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        raw.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closed) {
        raw.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        raw.close(status, trailers);
      }
    }

    @Override
    public boolean isReady() {
      return !closed && raw.isReady();
    }

    @Override
    public boolean isCancelled() {
      return raw.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      raw.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      raw.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      raw.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return raw.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return raw.getAttributes();
    }

    @Override
    public String getAuthority() {
      return raw.getAuthority();
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return typed;
    }
  }
}
