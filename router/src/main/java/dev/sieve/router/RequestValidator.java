package dev.sieve.router;

import com.google.protobuf.ByteString;
import dev.sieve.core.grpc.ErrorDetails;
import dev.sieve.core.grpc.ErrorReason;
import dev.sieve.core.scoring.ScoringException;
import dev.sieve.core.scoring.Utf8;
import dev.sieve.core.url.NormalizedUrl;
import dev.sieve.core.url.UrlNormalizer;
import dev.sieve.core.url.UrlRejectedException;
import dev.sieve.proto.v1.ClassifyRequest;
import dev.sieve.router.tier.TierName;
import io.grpc.Status;
import io.grpc.StatusException;
import java.nio.charset.StandardCharsets;

/**
 * Turns bad input into a precise status before any tier is called.
 *
 * <p>Checks, in order: an empty request (no url, html or text) and an unknown tier name in the
 * tiers filter are INVALID_ARGUMENT; a body (html + text) over the configured limit is
 * RESOURCE_EXHAUSTED; a URL over {@value UrlNormalizer#MAX_URL_BYTES} bytes or one {@link
 * UrlNormalizer} rejects is INVALID_ARGUMENT with the normalizer's reason; invalid UTF-8 in html or
 * text is INVALID_ARGUMENT with the byte offset. A blank URL is fine when a body is present
 * (text-only classification).
 *
 * <p>Every refusal carries an {@code ErrorInfo} with a stable {@link ErrorReason} and a {@code
 * BadRequest} field violation naming the field ({@link ErrorDetails}), so clients branch on codes.
 */
public final class RequestValidator {

  private final int maxBodyBytes;

  /**
   * @param maxBodyBytes largest html + text accepted (SIEVE_MAX_BODY_BYTES)
   */
  public RequestValidator(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public ValidatedRequest validate(ClassifyRequest request) throws StatusException {
    String rawUrl = request.getUrl();
    boolean hasUrl = !rawUrl.isBlank();
    ByteString html = request.getHtml();
    ByteString text = request.getText();
    boolean hasBody = !html.isEmpty() || !text.isEmpty();
    if (!hasUrl && !hasBody) {
      throw invalid(
          ErrorReason.EMPTY_REQUEST,
          "request has no url, html or text: nothing to classify",
          "url");
    }
    int tierMask = 0;
    for (int i = 0; i < request.getTiersCount(); i++) {
      String name = request.getTiers(i);
      TierName tier = TierName.fromWire(name);
      if (tier == null) {
        throw invalid(
            ErrorReason.UNKNOWN_TIER,
            "unknown tier '" + abbreviate(name) + "' in tiers; known tiers: url, content, llm",
            "tiers[" + i + "]");
      }
      tierMask |= tier.bit();
    }
    long bodyBytes = (long) html.size() + text.size();
    if (bodyBytes > maxBodyBytes) {
      throw ErrorDetails.error(
          Status.Code.RESOURCE_EXHAUSTED,
          ErrorReason.BODY_TOO_LARGE,
          "body (html + text) is "
              + bodyBytes
              + " bytes; the limit is "
              + maxBodyBytes
              + " bytes (SIEVE_MAX_BODY_BYTES)",
          html.size() >= text.size() ? "html" : "text");
    }
    NormalizedUrl url = null;
    if (hasUrl) {
      if (rawUrl.length() > UrlNormalizer.MAX_URL_BYTES
          || rawUrl.getBytes(StandardCharsets.UTF_8).length > UrlNormalizer.MAX_URL_BYTES) {
        throw invalid(
            ErrorReason.URL_TOO_LONG,
            "url is longer than " + UrlNormalizer.MAX_URL_BYTES + " bytes",
            "url");
      }
      try {
        url = UrlNormalizer.instance().normalize(rawUrl);
      } catch (UrlRejectedException e) {
        throw invalid(
            reasonOf(e.reason()), "url rejected (" + e.reason() + "): " + e.getMessage(), "url");
      }
    }
    checkUtf8(html, "html");
    checkUtf8(text, "text");
    return new ValidatedRequest(
        request, url, url == null ? "" : url.canonical(), tierMask, hasBody);
  }

  /** Fast path without allocation; the precise offset is computed only for invalid input. */
  private static void checkUtf8(ByteString bytes, String field) throws StatusException {
    if (bytes.isEmpty() || bytes.isValidUtf8()) {
      return;
    }
    try {
      Utf8.decode(bytes, field);
    } catch (ScoringException e) {
      throw ErrorDetails.error(e.code(), ErrorReason.INVALID_UTF8, e.getMessage(), field);
    }
    throw invalid(ErrorReason.INVALID_UTF8, field + " is not valid UTF-8", field);
  }

  private static StatusException invalid(ErrorReason reason, String message, String field) {
    return ErrorDetails.error(Status.Code.INVALID_ARGUMENT, reason, message, field);
  }

  /** The stable API reason for a URL the normalizer rejects. */
  static ErrorReason reasonOf(UrlRejectedException.Reason reason) {
    return switch (reason) {
      case TOO_LONG -> ErrorReason.URL_TOO_LONG;
      case CONTROL_CHARACTERS -> ErrorReason.URL_CONTROL_CHARACTERS;
      case UNSUPPORTED_SCHEME -> ErrorReason.UNSUPPORTED_SCHEME;
      case EMPTY_HOST -> ErrorReason.EMPTY_HOST;
      case MALFORMED_HOST -> ErrorReason.MALFORMED_HOST;
      case MALFORMED_PORT -> ErrorReason.MALFORMED_PORT;
      case EMPTY, MALFORMED -> ErrorReason.MALFORMED_URL;
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }
}
