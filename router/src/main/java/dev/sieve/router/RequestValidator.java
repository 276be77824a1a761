package dev.sieve.router;

import com.google.protobuf.ByteString;
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
 * <p>Checks, in order: an empty request (no url, html or text) and an unknown tier name in the tiers
 * filter are INVALID_ARGUMENT; a body (html + text) over the configured limit is RESOURCE_EXHAUSTED;
 * a URL over {@value UrlNormalizer#MAX_URL_BYTES} bytes or one {@link UrlNormalizer} rejects is
 * INVALID_ARGUMENT with the normalizer's reason; invalid UTF-8 in html or text is INVALID_ARGUMENT with
 * the byte offset. A blank URL is fine when a body is present (text-only classification).
 */
public final class RequestValidator {

  private final int maxBodyBytes;

  /** @param maxBodyBytes largest html + text accepted (SIEVE_MAX_BODY_BYTES) */
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
      throw invalid("request has no url, html or text: nothing to classify");
    }
    int tierMask = 0;
    for (int i = 0; i < request.getTiersCount(); i++) {
      String name = request.getTiers(i);
      TierName tier = TierName.fromWire(name);
      if (tier == null) {
        throw invalid("unknown tier '" + abbreviate(name) + "' in tiers; known tiers: url, content, llm");
      }
      tierMask |= tier.bit();
    }
    long bodyBytes = (long) html.size() + text.size();
    if (bodyBytes > maxBodyBytes) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription("body (html + text) is " + bodyBytes + " bytes; the limit is " + maxBodyBytes
              + " bytes (SIEVE_MAX_BODY_BYTES)")
          .asException();
    }
    NormalizedUrl url = null;
    if (hasUrl) {
      if (rawUrl.length() > UrlNormalizer.MAX_URL_BYTES
          || rawUrl.getBytes(StandardCharsets.UTF_8).length > UrlNormalizer.MAX_URL_BYTES) {
        throw invalid("url is longer than " + UrlNormalizer.MAX_URL_BYTES + " bytes");
      }
      try {
        url = UrlNormalizer.instance().normalize(rawUrl);
      } catch (UrlRejectedException e) {
        throw invalid("url rejected (" + e.reason() + "): " + e.getMessage());
      }
    }
    checkUtf8(html, "html");
    checkUtf8(text, "text");
    return new ValidatedRequest(request, url, url == null ? "" : url.canonical(), tierMask, hasBody);
  }

  /** Fast path without allocation; the precise offset is computed only for invalid input. */
  private static void checkUtf8(ByteString bytes, String field) throws StatusException {
    if (bytes.isEmpty() || bytes.isValidUtf8()) {
      return;
    }
    try {
      Utf8.decode(bytes, field);
    } catch (ScoringException e) {
      throw Status.fromCode(e.code()).withDescription(e.getMessage()).asException();
    }
    throw invalid(field + " is not valid UTF-8");
  }

  private static StatusException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asException();
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }
}
