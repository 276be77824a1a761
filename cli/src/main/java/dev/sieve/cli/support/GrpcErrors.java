package dev.sieve.cli.support;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/** Telling "nobody is listening" apart from "the server answered with an error". */
public final class GrpcErrors {

  private GrpcErrors() {}

  /**
   * True when the status means the client could not reach the server at all (connection refused,
   * unknown host, no route): the caller should say "not running" instead of printing a status code.
   */
  public static boolean isUnreachable(Throwable error) {
    Status status = Status.fromThrowable(error);
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    String description = status.getDescription();
    return description != null
        && (description.contains("Connection refused")
            || description.contains("Unable to resolve host"));
  }

  /** "CODE: description" for one-line error messages. */
  public static String describe(Throwable error) {
    Status status = Status.fromThrowable(error);
    String description = status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null
        && cause.getMessage() != null
        && (description == null || !description.contains(cause.getMessage()))) {
      // "io exception" alone says nothing; the cause says "Connection refused: /127.0.0.1:50051".
      description = (description == null ? "" : description + ": ") + cause.getMessage();
    }
    return status.getCode() + (description == null ? "" : ": " + description);
  }
}
