package dev.sieve.icap;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which tenant (school, district) a proxied request belongs to, so the router applies that tenant's
 * policy. Two sources, in order:
 *
 * <ol>
 *   <li>an ICAP header the proxy adds, named by {@code SIEVE_ICAP_TENANT_HEADER} (Squid: {@code
 *       adaptation_meta X-Sieve-Tenant "district-9" all}, or one per ACL);
 *   <li>the client's address, which Squid sends as {@code X-Client-IP} ({@code icap_send_client_ip
 *       on}), looked up in {@code SIEVE_ICAP_TENANT_BY_CLIENT}: {@code
 *       10.1.0.0/16=district-a,10.2.0.0/16=district-b} (first match wins).
 * </ol>
 *
 * Neither: the empty tenant, i.e. the router's default policy.
 */
public final class TenantResolver {

  /** One CIDR block of the client-address map. */
  record Block(byte[] network, int prefix, String tenant) {
    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (bytes[full] & mask) == (network[full] & mask);
    }
  }

  private final String header;
  private final List<Block> blocks;

  private TenantResolver(String header, List<Block> blocks) {
    this.header = header;
    this.blocks = blocks;
  }

  /**
   * @param header ICAP header naming the tenant; empty = none
   * @param clientMap {@code CIDR=tenant,...}; empty = none
   * @throws IllegalArgumentException on a malformed map entry (the adapter refuses to start)
   */
  public static TenantResolver of(String header, String clientMap) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : clientMap.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] kv = entry.strip().split("=", 2);
      if (kv.length != 2 || kv[1].isBlank()) {
        throw new IllegalArgumentException(
            "SIEVE_ICAP_TENANT_BY_CLIENT entry is not CIDR=tenant: " + entry);
      }
      String[] cidr = kv[0].strip().split("/", 2);
      if (!InetAddresses.isInetAddress(cidr[0])) {
        throw new IllegalArgumentException(
            "SIEVE_ICAP_TENANT_BY_CLIENT: not an IP address: " + cidr[0]);
      }
      byte[] network = InetAddresses.forString(cidr[0]).getAddress();
      int prefix;
      try {
        prefix = cidr.length == 2 ? Integer.parseInt(cidr[1]) : network.length * 8;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "SIEVE_ICAP_TENANT_BY_CLIENT: bad prefix length in " + entry);
      }
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException(
            "SIEVE_ICAP_TENANT_BY_CLIENT: bad prefix length in " + entry);
      }
      blocks.add(new Block(network, prefix, kv[1].strip()));
    }
    return new TenantResolver(header.strip(), List.copyOf(blocks));
  }

  /** The tenant for this ICAP request; "" = default policy. */
  public String resolve(IcapRequest request) {
    if (!header.isEmpty()) {
      Optional<String> named = request.header(header).map(String::strip).filter(v -> !v.isEmpty());
      if (named.isPresent()) {
        return named.get();
      }
    }
    if (!blocks.isEmpty()) {
      Optional<String> client = request.header("X-Client-IP").map(String::strip);
      if (client.isPresent() && InetAddresses.isInetAddress(client.get())) {
        InetAddress address = InetAddresses.forString(client.get());
        for (Block block : blocks) {
          if (block.contains(address)) {
            return block.tenant();
          }
        }
      }
    }
    return "";
  }
}
