package dev.sieve.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * TEST DOUBLE for a peer we do not own: an OpenAI-compatible chat-completions endpoint (the
 * protocol that vLLM, Ollama and llama.cpp's server speak), served by the JDK's {@code
 * com.sun.net.httpserver.HttpServer} on 127.0.0.1 with an ephemeral port.
 *
 * <p>It does not run a model: each request is answered by the next scripted {@link Reply} (a
 * chat-completion envelope around a given assistant content, or an HTTP error with optional
 * Retry-After, optionally delayed or held on a latch), and every request is recorded so tests can
 * assert what Sieve sent (prompt structure, headers, retry count and spacing). The real protocol
 * facts it mirrors: {@code POST /v1/chat/completions}, JSON body with {@code model} and {@code
 * messages}, reply in {@code choices[0].message.content}, usage in {@code usage.total_tokens}.
 */
final class FakeChatCompletionsServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One scripted answer. */
  record Reply(
      int status,
      Map<String, String> headers,
      String body,
      long delayMillis,
      CountDownLatch hold) {}

  /** One received request. */
  record Received(String path, JsonNode body, Map<String, List<String>> headers, long atNanos) {
    int messageCount() {
      return body.get("messages").size();
    }

    String message(int index) {
      return body.get("messages").get(index).get("content").asText();
    }

    String role(int index) {
      return body.get("messages").get(index).get("role").asText();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  FakeChatCompletionsServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-chat-completions");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Base URL as an operator would configure it (SIEVE_LLM_URL). */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  synchronized FakeChatCompletionsServer then(Reply reply) {
    script.addLast(reply);
    return this;
  }

  List<Received> received() {
    return received;
  }

  static Reply content(String assistantContent) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("id", "chatcmpl-test").put("object", "chat.completion").put("model", "test-model");
    ObjectNode choice = envelope.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", assistantContent);
    envelope
        .putObject("usage")
        .put("prompt_tokens", 900)
        .put("completion_tokens", 60)
        .put("total_tokens", 960);
    return new Reply(200, Map.of("Content-Type", "application/json"), envelope.toString(), 0, null);
  }

  static Reply status(int status, String retryAfter) {
    Map<String, String> headers =
        retryAfter == null
            ? Map.of("Content-Type", "application/json")
            : Map.of("Content-Type", "application/json", "Retry-After", retryAfter);
    return new Reply(
        status, headers, "{\"error\": {\"message\": \"scripted " + status + "\"}}", 0, null);
  }

  static Reply delayed(Reply reply, long millis) {
    return new Reply(reply.status(), reply.headers(), reply.body(), millis, reply.hold());
  }

  static Reply held(Reply reply, CountDownLatch latch) {
    return new Reply(reply.status(), reply.headers(), reply.body(), reply.delayMillis(), latch);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      received.add(
          new Received(
              exchange.getRequestURI().getPath(),
              JSON.readTree(bytes),
              Map.copyOf(exchange.getRequestHeaders()),
              System.nanoTime()));
      Reply reply;
      synchronized (this) {
        reply = script.isEmpty() ? status(500, null) : script.removeFirst();
      }
      try {
        if (reply.hold() != null) {
          reply.hold().await(10, TimeUnit.SECONDS);
        }
        if (reply.delayMillis() > 0) {
          Thread.sleep(reply.delayMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      } catch (IOException clientGone) {
        // the client timed out and closed the connection: expected in timeout tests
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
