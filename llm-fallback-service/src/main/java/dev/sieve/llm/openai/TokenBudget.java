package dev.sieve.llm.openai;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Tokens this process may spend on the LLM endpoint per UTC day.
 *
 * <p>An external LLM is the one part of the fleet whose cost grows with traffic in money, not just
 * CPU; a runaway (a crawler hitting uncached pages, a router bug that sends everything) must not
 * turn into an invoice. Before a call the estimated cost is reserved; afterwards the reservation is
 * settled with the endpoint's reported usage. When a reservation does not fit, the call is not made
 * and the embedded backend answers (the evidence says the budget was spent). Process-local: with N
 * replicas the fleet's daily ceiling is N times this.
 */
public final class TokenBudget {

  private final long perDay;
  private final Clock clock;
  private LocalDate day;
  private long used;

  public TokenBudget(long perDay, Clock clock) {
    this.perDay = perDay;
    this.clock = clock;
    this.day = today();
  }

  /** Reserves {@code tokens}; false (nothing reserved) when they would exceed today's budget. */
  public synchronized boolean tryReserve(long tokens) {
    rollOver();
    if (used + tokens > perDay) {
      return false;
    }
    used += tokens;
    return true;
  }

  /** Replaces a reservation by the actual usage ({@code actual} < 0: keep the estimate). */
  public synchronized void settle(long reserved, long actual) {
    rollOver();
    if (actual >= 0) {
      used = Math.max(0, used - reserved + actual);
    }
  }

  public synchronized long remaining() {
    rollOver();
    return Math.max(0, perDay - used);
  }

  private void rollOver() {
    LocalDate now = today();
    if (!now.equals(day)) {
      day = now;
      used = 0;
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
