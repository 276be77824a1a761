package dev.sieve.router.http;

import dev.sieve.core.util.Settings;

/**
 * Settings of the router's JSON/HTTP listener (environment variables or {@code -Dsieve.*}).
 *
 * @param port SIEVE_HTTP_PORT: -1 (default) = no HTTP listener, 0 = any free port
 * @param bindHost SIEVE_HTTP_BIND_HOST, default the router's SIEVE_BIND_HOST
 * @param maxBodyBytes SIEVE_HTTP_MAX_BODY_BYTES: largest HTTP request body read; default 4/3 of the
 *     router's body limit (JSON carries {@code html} and {@code text} base64-encoded) plus 64 KiB
 * @param maxBatchItems SIEVE_HTTP_MAX_BATCH_ITEMS (256): items in one {@code POST
 *     /v1/classify:batch}
 * @param batchConcurrency SIEVE_HTTP_BATCH_CONCURRENCY (16): items of one batch in flight at once,
 *     so one batch cannot take every in-flight slot of the router
 * @param maxConnections SIEVE_HTTP_MAX_CONCURRENT (512): requests handled at once; beyond it the
 *     answer is 429 with reason OVERLOADED
 */
public record HttpGatewaySettings(
    int port,
    String bindHost,
    int maxBodyBytes,
    int maxBatchItems,
    int batchConcurrency,
    int maxConnections) {

  /**
   * The settings from the environment; {@code routerBindHost} and {@code routerMaxBodyBytes} give
   * defaults.
   */
  public static HttpGatewaySettings fromEnvironment(String routerBindHost, int routerMaxBodyBytes) {
    long defaultBody = (long) routerMaxBodyBytes * 4 / 3 + 64 * 1024;
    return new HttpGatewaySettings(
        Settings.getInt("SIEVE_HTTP_PORT", -1),
        Settings.get("SIEVE_HTTP_BIND_HOST", routerBindHost),
        positive("SIEVE_HTTP_MAX_BODY_BYTES", (int) Math.min(Integer.MAX_VALUE - 8, defaultBody)),
        positive("SIEVE_HTTP_MAX_BATCH_ITEMS", 256),
        positive("SIEVE_HTTP_BATCH_CONCURRENCY", 16),
        positive("SIEVE_HTTP_MAX_CONCURRENT", 512));
  }

  public boolean enabled() {
    return port >= 0;
  }

  private static int positive(String name, int fallback) {
    int value = Settings.getInt(name, fallback);
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
