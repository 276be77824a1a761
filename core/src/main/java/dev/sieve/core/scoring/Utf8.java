package dev.sieve.core.scoring;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of request bodies.
 *
 * <p>Bodies travel as bytes so that invalid UTF-8 reaches our code instead of failing inside the
 * protobuf runtime (which would surface as INTERNAL). Here it becomes INVALID_ARGUMENT with the
 * byte offset of the first bad sequence, never a silently mangled text that a model then scores.
 */
public final class Utf8 {

  private Utf8() {}

  /**
   * Decodes {@code bytes} as UTF-8.
   *
   * @param field field name for the error message
   * @throws ScoringException INVALID_ARGUMENT naming the field and byte offset when not valid UTF-8
   */
  public static String decode(ByteString bytes, String field) throws ScoringException {
    if (bytes.isEmpty()) {
      return "";
    }
    if (bytes.isValidUtf8()) {
      return bytes.toStringUtf8();
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
    try {
      decoder.decode(buffer);
    } catch (CharacterCodingException e) {
      throw ScoringException.invalidArgument(
          field + " is not valid UTF-8 (first invalid byte near offset " + buffer.position() + ")");
    }
    throw ScoringException.invalidArgument(field + " is not valid UTF-8");
  }

  /** True when the bytes look like binary content (NUL bytes in the first 8 KiB), not text. */
  public static boolean looksBinary(ByteString bytes) {
    int n = Math.min(bytes.size(), 8192);
    for (int i = 0; i < n; i++) {
      if (bytes.byteAt(i) == 0) {
        return true;
      }
    }
    return false;
  }
}
