package dev.sieve.llm.openai;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The LLM API key never travels over plaintext http to another host unless explicitly allowed. */
class ApiKeyTransportTest {

  private static OpenAiSettings settings(String url, String key) {
    return OpenAiSettings.defaults(url, "m").withApiKey(key);
  }

  @Test
  void aKeyOverHttpToAnotherHostIsRefused() {
    assertThatThrownBy(
            () ->
                OpenAiSettings.requireProtectedKey(
                    settings("http://vllm.llm.svc:8000/v1", "sk-1"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "refusing to send SIEVE_LLM_API_KEY over plaintext http to vllm.llm.svc")
        .hasMessageContaining("SIEVE_LLM_ALLOW_INSECURE_HTTP=true")
        .hasMessageNotContaining("sk-1");
  }

  @Test
  void httpsLoopbackKeylessOrExplicitlyAllowedAreAccepted() {
    assertThatCode(
            () ->
                OpenAiSettings.requireProtectedKey(
                    settings("https://vllm.llm.svc/v1", "sk-1"), false))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                OpenAiSettings.requireProtectedKey(
                    settings("http://127.0.0.1:8000/v1", "sk-1"), false))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                OpenAiSettings.requireProtectedKey(
                    settings("http://localhost:8000/v1", "sk-1"), false))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                OpenAiSettings.requireProtectedKey(
                    settings("http://vllm.llm.svc:8000/v1", ""), false))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                OpenAiSettings.requireProtectedKey(
                    settings("http://vllm.llm.svc:8000/v1", "sk-1"), true))
        .doesNotThrowAnyException();
  }

  @Test
  void fromEnvironmentAppliesTheRule() {
    System.setProperty("sieve.llm.url", "http://10.0.0.7:8000/v1");
    System.setProperty("sieve.llm.model", "m");
    System.setProperty("sieve.llm.api.key", "sk-2");
    try {
      assertThatThrownBy(OpenAiSettings::fromEnvironment)
          .hasMessageContaining("plaintext http to 10.0.0.7");
      System.setProperty("sieve.llm.allow.insecure.http", "true");
      assertThatCode(OpenAiSettings::fromEnvironment).doesNotThrowAnyException();
    } finally {
      for (String p :
          new String[] {
            "sieve.llm.url", "sieve.llm.model", "sieve.llm.api.key", "sieve.llm.allow.insecure.http"
          }) {
        System.clearProperty(p);
      }
    }
  }
}
