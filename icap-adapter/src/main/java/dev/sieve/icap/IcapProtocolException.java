package dev.sieve.icap;

/**
 * An ICAP message the adapter will not read: malformed syntax, a limit exceeded, or the peer
 * closing the connection half-way. Carries the ICAP status to answer with (400, 405, 413 ...), or 0
 * when the connection is already unusable and must just be closed.
 */
public final class IcapProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  public IcapProtocolException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The ICAP status code to answer with; 0 = close without answering (peer gone mid-message). */
  public int status() {
    return status;
  }
}
