package dev.sieve.cli.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one series from a service's Prometheus {@code /metrics} endpoint, the way an operator's
 * alert rule would see it: by name and labels (in any order, other labels ignored).
 */
final class RouterMetricsScrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI endpoint;

  RouterMetricsScrape(int metricsPort) {
    this.endpoint = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
  }

  /** The whole exposition text. */
  String text() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(endpoint + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  /**
   * The sum of every sample of {@code name} whose labels include {@code labels}; empty when there
   * is none.
   */
  OptionalDouble value(String name, Map<String, String> labels)
      throws IOException, InterruptedException {
    return value(text(), name, labels);
  }

  static OptionalDouble value(String exposition, String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      Matcher sample = SAMPLE.matcher(line.strip());
      if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> present = new HashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          present.put(label.group(1), label.group(2));
        }
      }
      if (present.entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(sample.group(3));
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /**
   * Whether the router's breaker for {@code tier} is in {@code state} (closed, open, half_open).
   */
  boolean breakerIs(String tier, String state) throws IOException, InterruptedException {
    return value("sieve_router_breaker_state", Map.of("tier", tier, "state", state)).orElse(0)
        == 1.0;
  }
}
