package dev.sieve.content.serve;

import com.google.protobuf.ByteString;
import dev.sieve.core.scoring.Utf8;

/**
 * Recognizes bodies that are not text before anyone tries to decode or parse them.
 *
 * <p>A proxy sometimes forwards whatever the server sent under a text/html content type: images,
 * PDFs, archives. Scoring their bytes as words would produce a verdict about noise, so they are
 * refused with INVALID_ARGUMENT. NUL bytes in the first 8 KiB (core {@link Utf8#looksBinary}) catch
 * most binaries; the signatures below catch formats that can start with printable bytes.
 */
final class ContentSniffer {

  private ContentSniffer() {}

  /** A short name of the detected binary format, or null when the body may be text. */
  static String binaryKind(ByteString body) {
    if (startsWith(body, "%PDF-")) {
      return "looks like application/pdf";
    }
    if (startsWith(body, new int[] {0x50, 0x4B, 0x03, 0x04})) {
      return "looks like a zip archive";
    }
    if (startsWith(body, new int[] {0x1F, 0x8B})) {
      return "looks like gzip data";
    }
    if (startsWith(body, new int[] {0x89, 'P', 'N', 'G'})) {
      return "looks like image/png";
    }
    if (startsWith(body, "GIF87a") || startsWith(body, "GIF89a")) {
      return "looks like image/gif";
    }
    if (startsWith(body, new int[] {0xFF, 0xD8, 0xFF})) {
      return "looks like image/jpeg";
    }
    if (Utf8.looksBinary(body)) {
      return "binary content: NUL bytes in the first 8 KiB";
    }
    return null;
  }

  private static boolean startsWith(ByteString body, String ascii) {
    int[] bytes = ascii.chars().toArray();
    return startsWith(body, bytes);
  }

  private static boolean startsWith(ByteString body, int[] signature) {
    if (body.size() < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((body.byteAt(i) & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
