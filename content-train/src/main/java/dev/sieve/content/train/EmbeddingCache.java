package dev.sieve.content.train;

import dev.sieve.core.util.Sha256;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Chunk embeddings on disk, addressed by SHA-256 of (encoder id, chunk text).
 *
 * <p>Embedding a dataset costs minutes on two shared cores; training runs are many. Content
 * addressing (rather than one file per dataset version) means a new dataset version re-embeds only
 * the texts that changed, and an encoder change can never be served stale vectors. The file is
 * append-only ({@code [32-byte key][dim floats]} records after a small header) and flushed as it
 * grows, so an interrupted run resumes where it stopped; a torn last record is ignored on load.
 *
 * <p>Lives under a git-ignored directory (default {@code content-train/target/embedding-cache}).
 */
public final class EmbeddingCache implements AutoCloseable {

  private static final int MAGIC = 0x53564543; // "SVEC"

  private final Path file;
  private final String encoderId;
  private final int dimension;
  private final Map<String, float[]> vectors = new HashMap<>();
  private DataOutputStream out;
  private int unflushed;

  private EmbeddingCache(Path file, String encoderId, int dimension) {
    this.file = file;
    this.encoderId = encoderId;
    this.dimension = dimension;
  }

  /** Opens (or creates) the cache file for one encoder under {@code directory}. */
  public static EmbeddingCache open(Path directory, String encoderId, int dimension) {
    String safeName = encoderId.replaceAll("[^A-Za-z0-9._-]", "_");
    EmbeddingCache cache =
        new EmbeddingCache(directory.resolve(safeName + ".vec"), encoderId, dimension);
    cache.load();
    return cache;
  }

  public static String key(String encoderId, String text) {
    return Sha256.of(encoderId + "\u0000" + text);
  }

  public float[] get(String text) {
    return vectors.get(key(encoderId, text));
  }

  public int size() {
    return vectors.size();
  }

  public Path file() {
    return file;
  }

  /** Adds a vector and appends it to the file (flushed every 256 records and on close). */
  public synchronized void put(String text, float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException("expected " + dimension + " dims, got " + vector.length);
    }
    String key = key(encoderId, text);
    if (vectors.putIfAbsent(key, vector) != null) {
      return;
    }
    try {
      if (out == null) {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        Files.createDirectories(file.getParent());
        out =
            new DataOutputStream(
                new BufferedOutputStream(
                    Files.newOutputStream(
                        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    1 << 16));
        if (fresh) {
          out.writeInt(MAGIC);
          out.writeInt(dimension);
          byte[] id = encoderId.getBytes(StandardCharsets.UTF_8);
          out.writeShort(id.length);
          out.write(id);
        }
      }
      out.write(HexFormat.of().parseHex(key));
      for (float v : vector) {
        out.writeFloat(v);
      }
      if (++unflushed >= 256) {
        out.flush();
        unflushed = 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to embedding cache " + file, e);
    }
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    long validBytes = 0;
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != dimension) {
        throw new IllegalStateException(
            file + " is not an embedding cache for " + dimension + " dims");
      }
      byte[] id = new byte[in.readShort()];
      in.readFully(id);
      if (!new String(id, StandardCharsets.UTF_8).equals(encoderId)) {
        throw new IllegalStateException(file + " belongs to another encoder");
      }
      validBytes = 4 + 4 + 2 + id.length;
      long recordBytes = 32 + 4L * dimension;
      byte[] key = new byte[32];
      while (true) {
        try {
          in.readFully(key);
          float[] v = new float[dimension];
          for (int i = 0; i < dimension; i++) {
            v[i] = in.readFloat();
          }
          vectors.put(HexFormat.of().formatHex(key), v);
          validBytes += recordBytes;
        } catch (EOFException torn) {
          break;
        }
      }
    } catch (EOFException e) {
      validBytes = 0; // header torn: start over
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embedding cache " + file, e);
    }
    // An interrupted run may have left half a record: cut it so appends stay aligned.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (channel.size() > validBytes) {
        channel.truncate(validBytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot repair embedding cache " + file, e);
    }
  }

  public synchronized void flush() {
    if (out != null) {
      try {
        out.flush();
        unflushed = 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out = null;
    }
  }
}
