package dev.sieve.llm.category;

/**
 * A category configuration file that must not be served, with the precise reason (file, entry,
 * field). Checked so that the hot-reload path has to decide what to do: keep the last good catalog.
 */
public final class CategoryConfigException extends Exception {

  public CategoryConfigException(String message) {
    super(message);
  }

  public CategoryConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
