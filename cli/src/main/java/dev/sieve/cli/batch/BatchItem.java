package dev.sieve.cli.batch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One input item of {@code classify-batch}.
 *
 * @param index 0-based position among the items (output order)
 * @param lineNumber 1-based line in the input file (for messages)
 * @param id the caller's id, echoed in the output (the line number when the input has none)
 * @param url URL or null
 * @param text page text or null
 * @param html page HTML or null
 * @param tenant per-item tenant or null (then the command's --tenant applies)
 * @param inputError why the line could not be read as an item, or null when it is fine
 */
public record BatchItem(
    int index,
    int lineNumber,
    JsonNode id,
    String url,
    String text,
    String html,
    String tenant,
    String inputError) {

  public boolean isValid() {
    return inputError == null;
  }
}
