package dev.sieve.llm.openai;

import dev.sieve.core.security.Loopback;
import dev.sieve.core.util.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Configuration of the OpenAI-compatible backend (vLLM, Ollama, llama.cpp server, or a hosted API).
 *
 * <p>Environment (or {@code -Dsieve.llm.*}) with defaults:
 *
 * <ul>
 *   <li>{@code SIEVE_LLM_URL} (required): base URL, e.g. {@code http://vllm:8000/v1}; {@code
 *       /chat/completions} is appended unless the URL already ends with it.
 *   <li>{@code SIEVE_LLM_MODEL} (required): model name sent in the request.
 *   <li>{@code SIEVE_LLM_API_KEY}: bearer token (never logged). It is sent only over https, or over
 *       http to a loopback host (a model server on the same machine or pod); a key with an {@code
 *       http://} URL to any other host stops the start unless {@code
 *       SIEVE_LLM_ALLOW_INSECURE_HTTP=true} says explicitly that the network is trusted.
 *   <li>{@code SIEVE_LLM_TIMEOUT_MS} = 8000: per HTTP call (also bounded by the caller's deadline).
 *   <li>{@code SIEVE_LLM_MAX_CONCURRENCY} = 4: calls in flight; one more gets RESOURCE_EXHAUSTED.
 *   <li>{@code SIEVE_LLM_MAX_INPUT_CHARS} = 6000 (about 1,500 tokens): page text beyond is cut.
 *   <li>{@code SIEVE_LLM_MAX_OUTPUT_TOKENS} = 400.
 *   <li>{@code SIEVE_LLM_DAILY_TOKEN_BUDGET} = 5000000: tokens per UTC day for this process; when
 *       spent, requests are scored by the embedded backend (the evidence says so).
 *   <li>{@code SIEVE_LLM_MAX_RETRY_AFTER_MS} = 2000: the longest Retry-After honoured (once).
 *   <li>{@code SIEVE_LLM_JSON_MODE} = true: send {@code response_format: {"type": "json_object"}}.
 *   <li>{@code SIEVE_LLM_CACHE_SIZE} = 10000, {@code SIEVE_LLM_CACHE_TTL_S} = 3600: response cache.
 * </ul>
 */
public record OpenAiSettings(
    URI endpoint,
    String model,
    String apiKey,
    Duration timeout,
    int maxConcurrency,
    int maxInputChars,
    int maxOutputTokens,
    long dailyTokenBudget,
    Duration maxRetryAfter,
    boolean jsonMode,
    long cacheSize,
    Duration cacheTtl) {

  public OpenAiSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(model, "model");
    apiKey = apiKey == null ? "" : apiKey;
    if (maxConcurrency < 1 || maxInputChars < 100 || maxOutputTokens < 16 || dailyTokenBudget < 0) {
      throw new IllegalArgumentException(
          "invalid openai backend limits: concurrency >= 1, input chars >= 100, output tokens >= 16, budget >= 0");
    }
  }

  /** Reads the settings; fails naming the missing variable. */
  public static OpenAiSettings fromEnvironment() {
    String url =
        Settings.get("SIEVE_LLM_URL")
            .orElseThrow(
                () -> new IllegalArgumentException("SIEVE_LLM_BACKEND=openai needs SIEVE_LLM_URL"));
    String model =
        Settings.get("SIEVE_LLM_MODEL")
            .orElseThrow(
                () ->
                    new IllegalArgumentException("SIEVE_LLM_BACKEND=openai needs SIEVE_LLM_MODEL"));
    OpenAiSettings settings =
        new OpenAiSettings(
            chatCompletionsUri(url),
            model,
            Settings.get("SIEVE_LLM_API_KEY", ""),
            Duration.ofMillis(Settings.getLong("SIEVE_LLM_TIMEOUT_MS", 8000)),
            Settings.getInt("SIEVE_LLM_MAX_CONCURRENCY", 4),
            Settings.getInt("SIEVE_LLM_MAX_INPUT_CHARS", 6000),
            Settings.getInt("SIEVE_LLM_MAX_OUTPUT_TOKENS", 400),
            Settings.getLong("SIEVE_LLM_DAILY_TOKEN_BUDGET", 5_000_000L),
            Duration.ofMillis(Settings.getLong("SIEVE_LLM_MAX_RETRY_AFTER_MS", 2000)),
            Boolean.parseBoolean(Settings.get("SIEVE_LLM_JSON_MODE", "true")),
            Settings.getLong("SIEVE_LLM_CACHE_SIZE", 10_000),
            Duration.ofSeconds(Settings.getLong("SIEVE_LLM_CACHE_TTL_S", 3600)));
    requireProtectedKey(
        settings, Boolean.parseBoolean(Settings.get("SIEVE_LLM_ALLOW_INSECURE_HTTP", "false")));
    return settings;
  }

  /**
   * Refuses to send an API key in the clear: with a key, the endpoint must be https or a loopback
   * host, unless {@code allowInsecureHttp} (SIEVE_LLM_ALLOW_INSECURE_HTTP=true) is set explicitly.
   *
   * @throws IllegalArgumentException naming the settings to change
   */
  public static void requireProtectedKey(OpenAiSettings settings, boolean allowInsecureHttp) {
    URI endpoint = settings.endpoint();
    if (settings.apiKey().isEmpty()
        || "https".equals(endpoint.getScheme())
        || Loopback.isLoopbackHost(endpoint.getHost())) {
      return;
    }
    if (!allowInsecureHttp) {
      throw new IllegalArgumentException(
          "refusing to send SIEVE_LLM_API_KEY over plaintext http to "
              + endpoint.getHost()
              + ": use an https://"
              + " SIEVE_LLM_URL, or set SIEVE_LLM_ALLOW_INSECURE_HTTP=true if that network is trusted");
    }
    LoggerFactory.getLogger(OpenAiSettings.class)
        .warn(
            "sending the LLM API key over plaintext http to {} because SIEVE_LLM_ALLOW_INSECURE_HTTP=true",
            endpoint.getHost());
  }

  /** Defaults for everything but the endpoint and model (tests, tools). */
  public static OpenAiSettings defaults(String baseUrl, String model) {
    return new OpenAiSettings(
        chatCompletionsUri(baseUrl),
        model,
        "",
        Duration.ofSeconds(8),
        4,
        6000,
        400,
        5_000_000L,
        Duration.ofSeconds(2),
        true,
        10_000,
        Duration.ofHours(1));
  }

  public OpenAiSettings withTimeout(Duration value) {
    return new OpenAiSettings(
        endpoint,
        model,
        apiKey,
        value,
        maxConcurrency,
        maxInputChars,
        maxOutputTokens,
        dailyTokenBudget,
        maxRetryAfter,
        jsonMode,
        cacheSize,
        cacheTtl);
  }

  public OpenAiSettings withMaxConcurrency(int value) {
    return new OpenAiSettings(
        endpoint,
        model,
        apiKey,
        timeout,
        value,
        maxInputChars,
        maxOutputTokens,
        dailyTokenBudget,
        maxRetryAfter,
        jsonMode,
        cacheSize,
        cacheTtl);
  }

  public OpenAiSettings withDailyTokenBudget(long value) {
    return new OpenAiSettings(
        endpoint,
        model,
        apiKey,
        timeout,
        maxConcurrency,
        maxInputChars,
        maxOutputTokens,
        value,
        maxRetryAfter,
        jsonMode,
        cacheSize,
        cacheTtl);
  }

  public OpenAiSettings withMaxInputChars(int value) {
    return new OpenAiSettings(
        endpoint,
        model,
        apiKey,
        timeout,
        maxConcurrency,
        value,
        maxOutputTokens,
        dailyTokenBudget,
        maxRetryAfter,
        jsonMode,
        cacheSize,
        cacheTtl);
  }

  public OpenAiSettings withMaxRetryAfter(Duration value) {
    return new OpenAiSettings(
        endpoint,
        model,
        apiKey,
        timeout,
        maxConcurrency,
        maxInputChars,
        maxOutputTokens,
        dailyTokenBudget,
        value,
        jsonMode,
        cacheSize,
        cacheTtl);
  }

  public OpenAiSettings withApiKey(String value) {
    return new OpenAiSettings(
        endpoint,
        model,
        value,
        timeout,
        maxConcurrency,
        maxInputChars,
        maxOutputTokens,
        dailyTokenBudget,
        maxRetryAfter,
        jsonMode,
        cacheSize,
        cacheTtl);
  }

  static URI chatCompletionsUri(String base) {
    String trimmed = base.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (!trimmed.endsWith("/chat/completions")) {
      trimmed = trimmed + "/chat/completions";
    }
    URI uri = URI.create(trimmed);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("SIEVE_LLM_URL must be http(s): " + base);
    }
    return uri;
  }

  @Override
  public String toString() {
    return "OpenAiSettings[endpoint="
        + endpoint
        + ", model="
        + model
        + ", apiKey="
        + (apiKey.isEmpty() ? "(none)" : "(set)")
        + ", timeout="
        + timeout
        + ", maxConcurrency="
        + maxConcurrency
        + ", maxInputChars="
        + maxInputChars
        + ", dailyTokenBudget="
        + dailyTokenBudget
        + "]";
  }
}
