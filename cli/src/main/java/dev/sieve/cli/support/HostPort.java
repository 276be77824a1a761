package dev.sieve.cli.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A gRPC target given as {@code host:port} ({@code [::1]:port} for IPv6 literals). The cli talks to
 * plain host/port pairs only, so that "is this loopback?" and "which port?" are answerable without
 * a name resolver.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  public static HostPort loopback(int port) {
    return new HostPort("127.0.0.1", port);
  }

  /**
   * Parses {@code host:port}, {@code [v6]:port}, or {@code :port} / a bare port (loopback).
   *
   * @throws IllegalArgumentException with the expected form when the text does not parse
   */
  public static HostPort parse(String text) {
    String value = text.strip();
    try {
      if (value.matches("\\d+")) {
        return loopback(Integer.parseInt(value));
      }
      if (value.startsWith("[")) {
        int close = value.indexOf(']');
        if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("bad IPv6 target");
        }
        return new HostPort(
            value.substring(1, close), Integer.parseInt(value.substring(close + 2)));
      }
      int colon = value.lastIndexOf(':');
      if (colon < 0 || value.indexOf(':') != colon) {
        throw new IllegalArgumentException("missing port");
      }
      String host = colon == 0 ? "127.0.0.1" : value.substring(0, colon);
      return new HostPort(host, Integer.parseInt(value.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a host:port target (examples: 127.0.0.1:50051, localhost:50051, [::1]:50051)",
          e);
    }
  }

  /** True when every address the host resolves to is a loopback address. */
  public boolean isLoopback() {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.equals("localhost")) {
      return true;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
