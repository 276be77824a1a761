package dev.sieve.core.grpc;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes grpc-java's per-message "Exception processing message" warnings (a message over the
 * inbound size limit, a compressed message without a codec) into the {@link RejectedRequestLog}
 * instead of letting {@code java.util.logging} print a full stack trace for each one.
 *
 * <p>Why a logging filter: the transport refuses these messages itself (the client already gets
 * RESOURCE_EXHAUSTED or the transport's status) before any interceptor sees a message, and logs the
 * refusal with a stack trace at WARNING, once per message. The status and the refusal are right;
 * only the log volume is not, so only the log is changed. Other records pass untouched.
 */
final class TransportRejectionFilter implements Filter {

  /** The transport's stream logger, shaded (what Sieve ships) and unshaded. */
  private static final List<String> LOGGER_NAMES =
      List.of(
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream",
          "io.grpc.netty.NettyServerStream");

  static final String MESSAGE = "Exception processing message";

  /** Strong references: java.util.logging forgets (and resets) loggers nobody holds. */
  private static final List<Logger> INSTALLED = new ArrayList<>();

  private final RejectedRequestLog rejections;
  private final Filter previous;

  private TransportRejectionFilter(RejectedRequestLog rejections, Filter previous) {
    this.rejections = rejections;
    this.previous = previous;
  }

  /** Installs the filter once per process, reporting to {@code rejections}. */
  static synchronized void install(RejectedRequestLog rejections) {
    if (!INSTALLED.isEmpty()) {
      return;
    }
    for (String name : LOGGER_NAMES) {
      Logger logger = Logger.getLogger(name);
      logger.setFilter(new TransportRejectionFilter(rejections, logger.getFilter()));
      INSTALLED.add(logger);
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (MESSAGE.equals(record.getMessage()) && record.getThrown() != null) {
      Status status = Status.fromThrowable(record.getThrown());
      rejections.record(status.getCode(), status.getDescription());
      return false;
    }
    return previous == null || previous.isLoggable(record);
  }
}
