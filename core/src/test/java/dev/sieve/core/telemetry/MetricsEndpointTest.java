package dev.sieve.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.proto.v1.ModelInfo;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code /metrics} endpoint keeps answering while clients misbehave, and exposes the JVM and
 * process metrics an SRE expects, each with HELP text.
 */
class MetricsEndpointTest {

  @Test
  void idleHalfSentRequestsDoNotBlockTheScrape() throws Exception {
    try (Telemetry telemetry = Telemetry.of("slow-client-test", OpenTelemetry.noop())) {
      telemetry.registerModelInfo("t", ModelInfo.newBuilder().setName("m").setVersion("1").build());
      HTTPServer server = telemetry.startMetricsServer("127.0.0.1", 0);
      List<Socket> stalled = new ArrayList<>();
      try {
        // Request lines and a header, never the blank line that ends the request: the server is
        // left waiting for the rest. The replaced single-threaded server stopped answering here.
        for (int i = 0; i < 3; i++) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
          OutputStream out = socket.getOutputStream();
          out.write(
              "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          stalled.add(socket);
        }

        HttpResponse<String> scrape = scrape(server.getPort());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("sieve_model_info{application=\"slow-client-test\"");
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
    }
  }

  @Test
  void jvmAndProcessMetricsAreBoundAndEveryMetricHasHelp() {
    try (Telemetry telemetry = Telemetry.create("jvm-metrics-test")) {
      String text = telemetry.meterRegistry().scrape();

      assertThat(text)
          .contains(
              "jvm_memory_used_bytes{",
              "jvm_gc_",
              "jvm_threads_live_threads{",
              "jvm_classes_loaded_classes{",
              "jvm_info{",
              "process_cpu_usage{",
              "process_cpu_seconds_total{",
              "system_cpus{",
              "process_uptime_seconds{",
              "process_start_time_seconds{",
              "process_files_open_files{")
          .as("names promtool rejects (abbreviated units, _count on a gauge)")
          .doesNotContain("_ms_total", "_ns_total", "system_cpu_count");
      Set<String> typed = names(text, "^# TYPE (\\S+) ");
      Set<String> helped = names(text, "^# HELP (\\S+) \\S");
      assertThat(typed).isNotEmpty();
      assertThat(helped).containsAll(typed);
    }
  }

  private static Set<String> names(String exposition, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(exposition);
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static HttpResponse<String> scrape(int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
