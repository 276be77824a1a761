package dev.sieve.core.url;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The WHATWG URL Standard's IPv4 host parser: the forms a browser resolves as an IPv4 address.
 *
 * <p>Why: a browser sends {@code http://0x7f.1/}, {@code http://127.1/}, {@code http://0177.0.0.1/}
 * and {@code http://2130706433/} all to 127.0.0.1. A filter that compares host strings would see
 * four unknown hosts where there is one address, and anything on a block list by address could be
 * reached by rewriting it. Each part is decimal, octal (leading {@code 0}) or hex ({@code 0x});
 * there are one to four parts, the last filling the remaining bytes; a host whose last label is a
 * number but that is not such an address is invalid, as browsers treat it.
 */
public final class Ipv4Host {

  private static final BigInteger BYTE = BigInteger.valueOf(256);

  private Ipv4Host() {}

  /**
   * The standard's "ends in a number" check on an ASCII, lower-cased host: whether its last label
   * (ignoring one trailing dot) is all decimal digits or a valid IPv4 number such as {@code 0x7f}.
   * Such a host is an IPv4 address or invalid, never a domain name.
   */
  public static boolean endsInANumber(String host) {
    // The last label as split() would find it, without splitting the whole host: it runs for every
    // URL the router and the url tier see.
    int end = host.length();
    if (end > 1 && host.charAt(end - 1) == '.') {
      end--; // one trailing dot is ignored
    }
    String last = host.substring(host.lastIndexOf('.', end - 1) + 1, end);
    if (last.isEmpty()) {
      return false;
    }
    boolean digits = true;
    for (int i = 0; i < last.length() && digits; i++) {
      char c = last.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    return digits || number(last).isPresent();
  }

  /** The address in dotted-quad form, or empty when {@code host} is not a valid IPv4 host. */
  public static Optional<String> parse(String host) {
    List<String> parts = split(host);
    if (parts.isEmpty() || parts.size() > 4) {
      return Optional.empty();
    }
    List<BigInteger> numbers = new ArrayList<>(parts.size());
    for (String part : parts) {
      Optional<BigInteger> n = number(part);
      if (n.isEmpty()) {
        return Optional.empty();
      }
      numbers.add(n.get());
    }
    for (int i = 0; i < numbers.size() - 1; i++) {
      if (numbers.get(i).compareTo(BYTE) >= 0) {
        return Optional.empty();
      }
    }
    BigInteger last = numbers.get(numbers.size() - 1);
    if (last.compareTo(BYTE.pow(5 - numbers.size())) >= 0) {
      return Optional.empty();
    }
    long address = last.longValueExact();
    for (int i = 0; i < numbers.size() - 1; i++) {
      address += numbers.get(i).longValueExact() << (8 * (3 - i));
    }
    return Optional.of(
        ((address >> 24) & 0xff)
            + "."
            + ((address >> 16) & 0xff)
            + "."
            + ((address >> 8) & 0xff)
            + "."
            + (address & 0xff));
  }

  /** Splits on dots, dropping one empty last part (a trailing dot) when there are others. */
  private static List<String> split(String host) {
    List<String> parts = new ArrayList<>(List.of(host.split("\\.", -1)));
    if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
      parts.remove(parts.size() - 1);
    }
    return parts.size() == 1 && parts.get(0).isEmpty() ? List.of() : parts;
  }

  /** The standard's IPv4 number parser: {@code 0x}/{@code 0X} hex, leading-zero octal, decimal. */
  static Optional<BigInteger> number(String part) {
    if (part.isEmpty()) {
      return Optional.empty();
    }
    int radix = 10;
    String digits = part;
    if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() >= 2 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty()) {
      return Optional.of(BigInteger.ZERO);
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c > 0x7f || Character.digit(c, radix) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new BigInteger(digits, radix));
  }
}
