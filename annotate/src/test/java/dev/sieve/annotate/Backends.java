package dev.sieve.annotate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two databases every storage test runs on: SQLite always, PostgreSQL from Debian's package.
 */
final class Backends {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Backends() {}

  static Database open(String backend, Path tmp) throws Exception {
    return switch (backend) {
      case "sqlite" -> Database.sqlite(tmp.resolve("annotate.db"));
      case "postgresql" ->
          Database.connect(
              TestPostgres.shared().jdbcUrl("annotate_" + DATABASES.incrementAndGet()), null, null);
      default -> throw new IllegalArgumentException(backend);
    };
  }

  /** A clock tests move by hand (override expiry). */
  static final class MutableClock extends Clock {
    private final AtomicLong millis =
        new AtomicLong(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli());

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }
  }
}
