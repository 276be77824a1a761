package dev.sieve.core.telemetry;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The Prometheus scrape endpoint ({@code GET /metrics}) of one process.
 *
 * <p>The JDK's built-in HTTP server is enough for a scrape every few seconds and keeps a web
 * framework out of every service.
 */
public final class MetricsHttpServer implements AutoCloseable {

  private final HttpServer server;

  private MetricsHttpServer(HttpServer server) {
    this.server = server;
  }

  static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.setExecutor(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-http");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return new MetricsHttpServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind metrics endpoint on " + host + ":" + port, e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
