package dev.sieve.core.security;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.util.Locale;

/**
 * Decides whether an address or a gRPC target stays on this machine. Plaintext is allowed without
 * an explicit opt-out only there: bytes on the loopback interface never leave the host, so a local
 * development fleet needs no certificates, while any other address must be protected by TLS.
 *
 * <p>Only literal loopback addresses and {@code localhost} count: another host name is not resolved
 * here, because what it resolves to can change after the decision was made.
 */
public final class Loopback {

  private Loopback() {}

  /** True for {@code localhost}, 127.0.0.0/8 and ::1 (also in brackets). */
  public static boolean isLoopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    return InetAddresses.isInetAddress(h) && InetAddresses.forString(h).isLoopbackAddress();
  }

  /**
   * True when every address a gRPC target names is a loopback address. Understands {@code
   * host:port}, {@code dns:///host:port}, {@code dns://resolver/host:port}, {@code ipv4:a:p,b:p},
   * {@code ipv6:[a]:p} and {@code unix:} sockets (always local).
   */
  public static boolean isLoopbackTarget(String target) {
    String t = target.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("unix:") || lower.startsWith("unix-abstract:")) {
      return true;
    }
    if (lower.startsWith("dns:")) {
      String rest = t.substring(4);
      int slash = rest.lastIndexOf('/');
      return hostIsLoopback(slash >= 0 ? rest.substring(slash + 1) : rest);
    }
    if (lower.startsWith("ipv4:") || lower.startsWith("ipv6:")) {
      for (String address : t.substring(5).split(",")) {
        if (!hostIsLoopback(address)) {
          return false;
        }
      }
      return true;
    }
    return hostIsLoopback(t);
  }

  private static boolean hostIsLoopback(String hostPort) {
    try {
      return isLoopbackHost(HostAndPort.fromString(hostPort.strip()).getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
