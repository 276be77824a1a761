package dev.sieve.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A minimal client for the OpenAI chat-completions protocol ({@code POST /v1/chat/completions}),
 * the one protocol vLLM, Ollama, llama.cpp's server and hosted APIs all speak.
 *
 * <p>{@link java.net.http.HttpClient} rather than an SDK: one request shape, no extra dependency.
 * Every failure becomes an {@link EndpointException} of a precise {@link EndpointException.Kind};
 * the caller decides retries and fallback. The API key is sent as a bearer token and never logged.
 */
public final class ChatCompletionsClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY_CHARS = 300;

  private final OpenAiSettings settings;
  private final HttpClient http;

  public ChatCompletionsClient(OpenAiSettings settings) {
    this(
        settings,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .build());
  }

  public ChatCompletionsClient(OpenAiSettings settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
  }

  /** The request body for {@code messages} (exposed for tests and the prompt audit). */
  public String requestBody(List<ChatMessage> messages) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", settings.model());
    ArrayNode array = body.putArray("messages");
    for (ChatMessage message : messages) {
      array.addObject().put("role", message.role()).put("content", message.content());
    }
    body.put("temperature", 0);
    body.put("max_tokens", settings.maxOutputTokens());
    body.put("stream", false);
    if (settings.jsonMode()) {
      body.putObject("response_format").put("type", "json_object");
    }
    return body.toString();
  }

  /**
   * Sends one chat-completions request.
   *
   * @param timeout the whole call's limit (connect, send, wait for the complete response)
   * @throws EndpointException classified failure
   */
  public ChatReply complete(List<ChatMessage> messages, Duration timeout) throws EndpointException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.endpoint())
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(requestBody(messages), StandardCharsets.UTF_8));
    if (!settings.apiKey().isEmpty()) {
      request.header("Authorization", "Bearer " + settings.apiKey());
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new EndpointException(EndpointException.Kind.UNREACHABLE, 0, null, "connect timeout");
    } catch (HttpTimeoutException e) {
      throw new EndpointException(
          EndpointException.Kind.TIMEOUT,
          0,
          null,
          "no response within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      throw new EndpointException(
          EndpointException.Kind.UNREACHABLE, 0, null, "connection failed: " + e);
    } catch (IOException e) {
      throw new EndpointException(EndpointException.Kind.UNREACHABLE, 0, null, "I/O error: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EndpointException(EndpointException.Kind.TIMEOUT, 0, null, "interrupted");
    }
    int status = response.statusCode();
    if (status == 429) {
      throw new EndpointException(
          EndpointException.Kind.RATE_LIMITED,
          status,
          retryAfter(response),
          "HTTP 429 " + clip(response.body()));
    }
    if (status >= 500) {
      throw new EndpointException(
          EndpointException.Kind.SERVER_ERROR,
          status,
          retryAfter(response),
          "HTTP " + status + " " + clip(response.body()));
    }
    if (status < 200 || status >= 300) {
      throw new EndpointException(
          EndpointException.Kind.CLIENT_ERROR,
          status,
          null,
          "HTTP " + status + " " + clip(response.body()));
    }
    return parseEnvelope(response.body());
  }

  static ChatReply parseEnvelope(String body) throws EndpointException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new EndpointException(
          EndpointException.Kind.BAD_RESPONSE,
          200,
          null,
          "response envelope is not JSON: " + clip(body));
    }
    JsonNode content =
        root == null ? null : root.path("choices").path(0).path("message").path("content");
    if (content == null || !content.isTextual()) {
      throw new EndpointException(
          EndpointException.Kind.BAD_RESPONSE,
          200,
          null,
          "response envelope has no choices[0].message.content: " + clip(body));
    }
    JsonNode total = root.path("usage").path("total_tokens");
    return new ChatReply(
        content.asText(), total.canConvertToLong() && total.isNumber() ? total.asLong() : -1);
  }

  /** Retry-After as delta-seconds or HTTP-date (RFC 9110); absent or unparseable = null. */
  static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(ChatCompletionsClient::parseRetryAfter)
        .orElse(null);
  }

  static Duration parseRetryAfter(String value) {
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException ignored) {
      // not delta-seconds: try an HTTP-date
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String clip(String body) {
    if (body == null) {
      return "";
    }
    String oneLine = body.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_ERROR_BODY_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_ERROR_BODY_CHARS) + "…";
  }
}
