package dev.sieve.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.cli.testing.CliRun;
import dev.sieve.core.security.ApiKeys;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./sieve auth new-key}: a fresh random key and the hash the router stores for it. */
class AuthCommandTest {

  private static final Pattern KEY = Pattern.compile("(?m)^key:  (sieve_[A-Za-z0-9_-]{43})$");
  private static final Pattern HASH = Pattern.compile("(?m)^hash: (sha256:[0-9a-f]{64})$");

  @Test
  void printsAKeyAndTheEntryWithItsHash() {
    CliRun run = CliRun.of("auth", "new-key", "--tenant", "district-12");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    Matcher key = KEY.matcher(run.out());
    Matcher hash = HASH.matcher(run.out());
    assertThat(key.find()).as(run.out()).isTrue();
    assertThat(hash.find()).as(run.out()).isTrue();
    assertThat(hash.group(1)).isEqualTo(ApiKeys.hash(key.group(1)));
    assertThat(run.out()).contains("  district-12:\n    api_keys:\n      - " + hash.group(1));

    Matcher other = KEY.matcher(CliRun.of("auth", "new-key", "--tenant", "district-12").out());
    assertThat(other.find()).isTrue();
    assertThat(other.group(1)).isNotEqualTo(key.group(1));
  }

  @Test
  void theTenantIsRequired() {
    assertThat(CliRun.of("auth", "new-key").exitCode()).isEqualTo(2);
  }
}
