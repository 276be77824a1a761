package dev.sieve.content.train;

import dev.sieve.content.encode.ChunkEncoder;
import dev.sieve.content.extract.Chunk;
import dev.sieve.content.extract.ExtractedPage;
import dev.sieve.content.extract.PageExtractor;
import dev.sieve.content.extract.TextChunker;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset texts to chunk embeddings through the serving code path: {@link
 * PageExtractor#extractText} (normalization, text limit, language hint) then {@link TextChunker},
 * then the encoder, with an {@link EmbeddingCache} in front so only unseen chunks are encoded.
 */
public final class CorpusEmbedder {

  private static final Logger log = LoggerFactory.getLogger(CorpusEmbedder.class);
  private static final int ENCODE_BATCH = 64;

  private final PageExtractor extractor;
  private final TextChunker chunker;
  private final ChunkEncoder encoder;
  private final EmbeddingCache cache;

  public CorpusEmbedder(PageExtractor extractor, ChunkEncoder encoder, EmbeddingCache cache) {
    this.extractor = extractor;
    this.chunker = new TextChunker(extractor.limits());
    this.encoder = encoder;
    this.cache = cache;
  }

  /** The chunks the service would encode for this text. */
  public List<Chunk> chunks(String text) {
    ExtractedPage page = extractor.extractText(text);
    return chunker.chunk(page);
  }

  /** Chunk embeddings per example ({@code float[0][]} for a text without words). */
  public List<float[][]> embed(List<TextExample> examples) {
    List<List<Chunk>> chunked = new ArrayList<>(examples.size());
    Set<String> missing = new LinkedHashSet<>();
    for (TextExample example : examples) {
      List<Chunk> chunks = chunks(example.text());
      chunked.add(chunks);
      for (Chunk chunk : chunks) {
        if (cache.get(chunk.text()) == null) {
          missing.add(chunk.text());
        }
      }
    }
    if (!missing.isEmpty()) {
      encodeMissing(new ArrayList<>(missing));
    }
    List<float[][]> out = new ArrayList<>(examples.size());
    for (List<Chunk> chunks : chunked) {
      float[][] vectors = new float[chunks.size()][];
      for (int i = 0; i < chunks.size(); i++) {
        vectors[i] = cache.get(chunks.get(i).text());
      }
      out.add(vectors);
    }
    return out;
  }

  private void encodeMissing(List<String> texts) {
    log.info(
        "encoding {} new chunks with {} ({} cached)", texts.size(), encoder.id(), cache.size());
    long start = System.nanoTime();
    long lastLog = start;
    for (int from = 0; from < texts.size(); from += ENCODE_BATCH) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + ENCODE_BATCH));
      float[][] vectors = encoder.embed(batch);
      for (int i = 0; i < batch.size(); i++) {
        cache.put(batch.get(i), vectors[i]);
      }
      long now = System.nanoTime();
      if (now - lastLog > 15_000_000_000L) {
        int done = from + batch.size();
        double rate = done / ((now - start) / 1e9);
        log.info(
            "encoded {}/{} chunks ({} chunks/s, ~{} s left)",
            done,
            texts.size(),
            Math.round(rate),
            Math.round((texts.size() - done) / rate));
        lastLog = now;
      }
    }
    cache.flush();
    double seconds = (System.nanoTime() - start) / 1e9;
    log.info(
        "encoded {} chunks in {} s ({} chunks/s)",
        texts.size(),
        Math.round(seconds),
        Math.round(texts.size() / seconds));
  }
}
