package dev.sieve.llm.openai;

/**
 * The model's reply broke the output contract; the message is sent back in the corrective retry.
 */
public final class InvalidLlmOutputException extends Exception {

  public InvalidLlmOutputException(String message) {
    super(message);
  }
}
