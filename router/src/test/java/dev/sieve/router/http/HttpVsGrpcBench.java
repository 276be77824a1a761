package dev.sieve.router.http;

import dev.sieve.proto.v1.ClassifierGrpc;
import dev.sieve.proto.v1.ClassifyRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Per-request time of the JSON/HTTP door against the gRPC door of one running router, in one
 * process, alternating rounds so both see the same machine load (docs/benchmarks.md, "JSON/HTTP
 * against gRPC"). Not a test: run it against {@code ./sieve up --http-port PORT}:
 *
 * <pre>
 * java -cp "router/target/test-classes:router/target/classes:router/target/lib/*" \
 *   dev.sieve.router.http.HttpVsGrpcBench GRPC_PORT HTTP_PORT [threads] [seconds per round] [rounds] [bypass]
 * </pre>
 *
 * Same request both ways: one URL (a verdict-cache hit unless {@code bypass}, which classifies
 * through the url tier every time), deadline 2 s, a fresh request id each call.
 */
public final class HttpVsGrpcBench {

  private HttpVsGrpcBench() {}

  public static void main(String[] args) throws Exception {
    int grpcPort = Integer.parseInt(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    boolean bypass = args.length > 5 && args[5].equals("bypass");
    String url = "https://www.wikipedia.org/wiki/Photosynthesis";
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(channel);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + httpPort + "/v1/classify");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Call grpc =
        id ->
            stub.withDeadlineAfter(2, TimeUnit.SECONDS)
                .classify(
                    ClassifyRequest.newBuilder()
                        .setUrl(url)
                        .setRequestId(id)
                        .setBypassCache(bypass)
                        .build());
    Call json =
        id -> {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(uri)
                      .header("Content-Type", "application/json")
                      .header("X-Sieve-Deadline-Ms", "2000")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"url\":\""
                                  + url
                                  + "\",\"requestId\":\""
                                  + id
                                  + "\",\"bypassCache\":"
                                  + bypass
                                  + "}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
          }
        };
    run(pool, threads, 2, grpc);
    run(pool, threads, 2, json);
    System.out.printf(
        "threads %d, %d s per round, %d rounds, %s%n",
        threads,
        seconds,
        rounds,
        bypass ? "bypass_cache (url tier every call)" : "verdict-cache hits");
    List<double[]> grpcRounds = new ArrayList<>();
    List<double[]> httpRounds = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      grpcRounds.add(run(pool, threads, seconds, grpc));
      httpRounds.add(run(pool, threads, seconds, json));
      double[] g = grpcRounds.getLast();
      double[] h = httpRounds.getLast();
      System.out.printf(
          "round %d: gRPC %.0f req/s mean %.1f us p50 %.1f us p99 %.1f us | "
              + "HTTP %.0f req/s mean %.1f us p50 %.1f us p99 %.1f us | HTTP/gRPC mean %.2f p50 %.2f%n",
          round + 1, g[0], g[1], g[2], g[3], h[0], h[1], h[2], h[3], h[1] / g[1], h[2] / g[2]);
    }
    pool.shutdownNow();
    channel.shutdownNow();
  }

  private interface Call {
    void call(String requestId) throws Exception;
  }

  /** Closed loop for {@code seconds}: {requests/s, mean us, p50 us, p99 us}. */
  private static double[] run(ExecutorService pool, int threads, int seconds, Call call)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<long[]>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          pool.submit(
              () -> {
                long[] samples = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < samples.length) {
                  long start = System.nanoTime();
                  call.call("bench-" + thread + "-" + n);
                  samples[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(samples, n);
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> worker : workers) {
      for (long sample : worker.get()) {
        all.add(sample);
      }
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    double mean = Arrays.stream(sorted).average().orElse(0) / 1000.0;
    return new double[] {
      sorted.length / (double) seconds,
      mean,
      sorted[sorted.length / 2] / 1000.0,
      sorted[(int) (sorted.length * 0.99)] / 1000.0
    };
  }
}
