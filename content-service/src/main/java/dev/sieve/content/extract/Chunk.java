package dev.sieve.content.extract;

/**
 * One encoder input: at most {@link ExtractionLimits#wordsPerChunk()} words of one page section.
 *
 * @param index position in the page's chunk list (0-based)
 * @param section where the words came from: "header" (title, description, keywords, headings),
 *     "body" or "links" (anchor and image alt texts)
 * @param text the words, single-spaced
 * @param words number of words
 */
public record Chunk(int index, String section, String text, int words) {}
