package dev.sieve.content;

import dev.sieve.content.extract.ExtractionLimits;

/** Test access to the service's package-private sizing rule. */
public final class ContentServiceMainAccess {
  private ContentServiceMainAccess() {}

  public static int maxInboundMessageBytes(ExtractionLimits limits) {
    return ContentServiceMain.maxInboundMessageBytes(limits);
  }
}
