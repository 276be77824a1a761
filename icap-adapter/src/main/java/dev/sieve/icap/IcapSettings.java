package dev.sieve.icap;

import dev.sieve.core.util.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * The adapter's settings, each an environment variable or the matching {@code -Dsieve.*} system
 * property ({@link Settings}). Defaults suit a school proxy: a URL verdict is fast (url tier and
 * cache), a page verdict runs the content model, and a page larger than the budget is judged on its
 * first {@code maxBodyBytes}.
 *
 * @param port ICAP port ({@code SIEVE_ICAP_PORT}, default 1344, the ICAP registered port)
 * @param bindHost address to bind ({@code SIEVE_BIND_HOST}, default 127.0.0.1)
 * @param routerTarget the router ({@code SIEVE_ICAP_ROUTER_TARGET}, default 127.0.0.1:50051)
 * @param reqmodDeadline deadline of a REQMOD (URL) verdict ({@code SIEVE_ICAP_REQMOD_DEADLINE_MS},
 *     500)
 * @param respmodDeadline deadline of a RESPMOD (page) verdict ({@code
 *     SIEVE_ICAP_RESPMOD_DEADLINE_MS}, 3000)
 * @param maxBodyBytes RESPMOD: bytes of a text/html body sent to Sieve ({@code
 *     SIEVE_ICAP_MAX_BODY_BYTES}, 256 KiB)
 * @param maxEchoBytes largest body the adapter buffers to send back unchanged to a client that does
 *     not accept 204 ({@code SIEVE_ICAP_MAX_ECHO_BYTES}, 8 MiB; Squid always accepts 204)
 * @param maxConnections ICAP connections served at once; more get 503 ({@code
 *     SIEVE_ICAP_MAX_CONNECTIONS}, 512)
 * @param maxInFlight Classify calls in flight; a call waits for a slot within its deadline ({@code
 *     SIEVE_ICAP_MAX_IN_FLIGHT}, 256)
 * @param idleTimeout a keep-alive connection idle this long is closed ({@code
 *     SIEVE_ICAP_IDLE_TIMEOUT_MS}, 60000)
 * @param tenantHeader ICAP header naming the tenant ({@code SIEVE_ICAP_TENANT_HEADER},
 *     X-Sieve-Tenant)
 * @param tenantByClient {@code CIDR=tenant,...} on Squid's X-Client-IP ({@code
 *     SIEVE_ICAP_TENANT_BY_CLIENT})
 * @param onUnavailable {@code allow|block} ({@code SIEVE_ICAP_ON_UNAVAILABLE}, allow)
 * @param onUnavailableTenants {@code tenant=allow|block,...} ({@code
 *     SIEVE_ICAP_ON_UNAVAILABLE_TENANTS})
 * @param reviewUrl block-page review link template ({@code SIEVE_ICAP_REVIEW_URL}; see {@link
 *     BlockPage})
 */
public record IcapSettings(
    int port,
    String bindHost,
    String routerTarget,
    Duration reqmodDeadline,
    Duration respmodDeadline,
    int maxBodyBytes,
    int maxEchoBytes,
    int maxConnections,
    int maxInFlight,
    Duration idleTimeout,
    String tenantHeader,
    String tenantByClient,
    String onUnavailable,
    String onUnavailableTenants,
    Optional<String> reviewUrl) {

  public static IcapSettings fromEnvironment() {
    return new IcapSettings(
        Settings.getInt("SIEVE_ICAP_PORT", 1344),
        Settings.get("SIEVE_BIND_HOST", "127.0.0.1"),
        Settings.get("SIEVE_ICAP_ROUTER_TARGET", "127.0.0.1:50051"),
        Duration.ofMillis(Settings.getLong("SIEVE_ICAP_REQMOD_DEADLINE_MS", 500)),
        Duration.ofMillis(Settings.getLong("SIEVE_ICAP_RESPMOD_DEADLINE_MS", 3000)),
        Settings.getInt("SIEVE_ICAP_MAX_BODY_BYTES", 256 * 1024),
        Settings.getInt("SIEVE_ICAP_MAX_ECHO_BYTES", 8 * 1024 * 1024),
        Settings.getInt("SIEVE_ICAP_MAX_CONNECTIONS", 512),
        Settings.getInt("SIEVE_ICAP_MAX_IN_FLIGHT", 256),
        Duration.ofMillis(Settings.getLong("SIEVE_ICAP_IDLE_TIMEOUT_MS", 60_000)),
        Settings.get("SIEVE_ICAP_TENANT_HEADER", "X-Sieve-Tenant"),
        Settings.get("SIEVE_ICAP_TENANT_BY_CLIENT", ""),
        Settings.get("SIEVE_ICAP_ON_UNAVAILABLE", "allow"),
        Settings.get("SIEVE_ICAP_ON_UNAVAILABLE_TENANTS", ""),
        Settings.get("SIEVE_ICAP_REVIEW_URL"));
  }
}
