package dev.sieve.core.telemetry;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.slf4j.MDC;

/**
 * Puts the current trace and span ids into the logging MDC ({@code trace_id}, {@code span_id})
 * while the application handles a call, so every log line can be joined with its trace.
 */
final class MdcTraceInterceptor implements ServerInterceptor {

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Context otelContext = Context.current();
    ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(ReqT message) {
        withMdc(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        withMdc(super::onHalfClose);
      }

      private void withMdc(Runnable r) {
        SpanContext span = Span.fromContext(otelContext).getSpanContext();
        if (!span.isValid()) {
          r.run();
          return;
        }
        MDC.put("trace_id", span.getTraceId());
        MDC.put("span_id", span.getSpanId());
        try {
          r.run();
        } finally {
          MDC.remove("trace_id");
          MDC.remove("span_id");
        }
      }
    };
  }
}
