package dev.sieve.icap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an ICAP encapsulated body: HTTP/1.1 chunked coding, where the last chunk may carry the
 * {@code ieof} extension (RFC 3507 4.5: the preview held the whole body). Keeps at most {@code
 * keepLimit} bytes and discards the rest, so a large page costs the adapter no more memory than its
 * budget while the connection stays in step.
 */
public final class ChunkedBody {

  /** Largest single chunk accepted (a chunk is read in pieces; this bounds the size field only). */
  static final long MAX_CHUNK = 1L << 31;

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int keepLimit;
  private long total;
  private boolean ieof;

  public ChunkedBody(int keepLimit) {
    this.keepLimit = keepLimit;
  }

  /**
   * Reads chunks up to and including the next zero-length chunk and its (ignored) trailer fields.
   *
   * @return true when the zero chunk carried {@code ieof}: nothing more will follow
   */
  public boolean readUntilLastChunk(InputStream in) throws IOException, IcapProtocolException {
    byte[] buffer = new byte[8192];
    while (true) {
      String sizeLine = IcapParser.readLine(in, false);
      String sizeField = sizeLine;
      String extension = "";
      int semicolon = sizeLine.indexOf(';');
      if (semicolon >= 0) {
        sizeField = sizeLine.substring(0, semicolon);
        extension = sizeLine.substring(semicolon + 1).strip();
      }
      sizeField = sizeField.strip();
      if (sizeField.isEmpty()
          || sizeField.length() > 12
          || !sizeField.chars().allMatch(ChunkedBody::isHex)) {
        throw new IcapProtocolException(
            400, "malformed chunk size: " + HttpHead.abbreviate(sizeLine));
      }
      long size = Long.parseLong(sizeField, 16);
      if (size > MAX_CHUNK) {
        throw new IcapProtocolException(400, "chunk of " + size + " bytes");
      }
      if (size == 0) {
        ieof = extension.equalsIgnoreCase("ieof");
        // trailer fields until an empty line
        int trailers = 0;
        while (!IcapParser.readLine(in, false).isEmpty()) {
          if (++trailers > IcapParser.MAX_HEADERS) {
            throw new IcapProtocolException(400, "too many trailer fields");
          }
        }
        return ieof;
      }
      long remaining = size;
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IcapProtocolException(0, "connection closed inside a chunk");
        }
        int keep = (int) Math.min(n, Math.max(0, keepLimit - kept.size()));
        kept.write(buffer, 0, keep);
        total += n;
        remaining -= n;
      }
      String end = IcapParser.readLine(in, false);
      if (!end.isEmpty()) {
        throw new IcapProtocolException(400, "chunk data longer than its size field");
      }
    }
  }

  /** The bytes kept (the first {@code keepLimit} of the body read so far). */
  public byte[] kept() {
    return kept.toByteArray();
  }

  /** Bytes of body read so far, kept or not. */
  public long total() {
    return total;
  }

  /** Whether more of the body was read than kept. */
  public boolean truncated() {
    return total > kept.size();
  }

  public boolean ieof() {
    return ieof;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
