package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sieve.annotate.WebSecurityTest.User;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Accounts hardening over HTTP and at the service level: login throttling per user name and per
 * client address (lock after N failures in a window, doubling, a clear message, audited, lifted on
 * time on a moved clock), and the password-change page (current password required, CSRF, Argon2id,
 * other sessions ended, audited).
 */
class AccountHardeningTest {

  @TempDir Path tmp;

  private static final String PW = "correct horse battery";

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void loginsAreThrottledPerAccountAndPerAddress(String backend) throws Exception {
    Backends.MutableClock clock = new Backends.MutableClock();
    try (AnnotateApp app = start(backend, clock)) {
      app.bootstrapAdmin("admin").orElseThrow();
      app.accounts().create("teacher-a", PW, Accounts.Role.TEACHER, "district-a");
      app.accounts().create("ann", PW, Accounts.Role.ANNOTATOR, null);
      User web = new User("http://127.0.0.1:" + app.httpPort());

      // Four wrong passwords: still the ordinary "wrong user name or password".
      for (int i = 0; i < Accounts.ACCOUNT_FAILURE_LIMIT - 1; i++) {
        HttpResponse<String> r = web.attemptLogin("teacher-a", "wrong password " + i);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/login?error=1");
      }
      // The fifth locks the name; then even the right password is refused, with a clear message.
      web.attemptLogin("teacher-a", "wrong password 5");
      HttpResponse<String> locked = web.attemptLogin("teacher-a", PW);
      assertThat(locked.statusCode()).isEqualTo(429);
      assertThat(locked.headers().firstValue("Retry-After")).hasValue("30");
      assertThat(locked.body())
          .contains("too many failed log-ins for this account or from this address")
          .contains("try again in 30 seconds")
          .doesNotContain("sieve_annotate_session");
      assertThat(auditCount(app, "login.locked")).isEqualTo(1);
      assertThat(
              app.db()
                  .one(
                      "SELECT detail FROM audit WHERE action = 'login.locked'",
                      rs -> rs.getString(1))
                  .orElseThrow())
          .contains("account:teacher-a", "5 failed log-ins", "locked for 30 s");

      // Another account from the same address is unaffected (the address is under its limit).
      web.login("ann", PW);

      // After the lock, one more failure in the same window locks for twice as long (60 s); the
      // lock lifts on time, and a success clears the name's count (one slip is ordinary again).
      clock.advance(Duration.ofSeconds(31));
      assertThat(web.attemptLogin("teacher-a", "wrong again").statusCode()).isEqualTo(302);
      HttpResponse<String> doubled = web.attemptLogin("teacher-a", PW);
      assertThat(doubled.statusCode()).isEqualTo(429);
      assertThat(doubled.headers().firstValue("Retry-After")).hasValue("60");
      clock.advance(Duration.ofSeconds(61));
      web.login("teacher-a", PW);
      assertThat(web.attemptLogin("teacher-a", "one slip").headers().firstValue("Location"))
          .hasValue("/login?error=1");
      web.login("teacher-a", PW);

      // Per address: spraying one password over many names (each name only once) from one
      // address locks the address, for every name, known or not.
      clock.advance(Duration.ofMinutes(16)); // a fresh window
      for (int i = 0; i < Accounts.ADDRESS_FAILURE_LIMIT; i++) {
        assertThat(app.accounts().login("user" + i, "Summer2026!!", "10.1.2.3")).isEmpty();
      }
      assertThatThrownBy(() -> app.accounts().login("admin", "whatever", "10.1.2.3"))
          .isInstanceOf(Accounts.Throttled.class)
          .hasMessageContaining("try again in 30 seconds");
      assertThat(app.accounts().login("ann", PW, "10.9.9.9")).as("another address").isPresent();
      clock.advance(Duration.ofSeconds(31));
      assertThat(app.accounts().login("ann", PW, "10.1.2.3")).isPresent();
      assertThat(
              app.db()
                  .one(
                      "SELECT COUNT(*) FROM audit WHERE action = 'login.locked' AND detail LIKE 'address:10.1.2.3%'",
                      rs -> rs.getLong(1))
                  .orElseThrow())
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void passwordChangeNeedsTheCurrentPasswordAndCsrfAndEndsOtherSessions(String backend)
      throws Exception {
    Backends.MutableClock clock = new Backends.MutableClock();
    try (AnnotateApp app = start(backend, clock)) {
      app.bootstrapAdmin("admin").orElseThrow();
      app.accounts().create("teacher-a", PW, Accounts.Role.TEACHER, "district-a");
      String base = "http://127.0.0.1:" + app.httpPort();
      User here = new User(base);
      here.login("teacher-a", PW);
      User elsewhere = new User(base);
      elsewhere.login("teacher-a", PW);

      HttpResponse<String> page = here.get("/account/password");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("name=\"current\"", "name=\"password\"", "name=\"confirm\"", here.csrf);
      assertThat(new User(base).get("/account/password").statusCode())
          .as("anonymous: to the login page")
          .isEqualTo(302);

      String next = "a much longer new passphrase";
      Map<String, String> form = new LinkedHashMap<>();
      form.put("current", PW);
      form.put("password", next);
      form.put("confirm", next);
      // Without the session's CSRF token, or with another session's: refused, nothing changes.
      assertThat(here.post("/account/password", form).statusCode()).isEqualTo(403);
      form.put("_csrf", elsewhere.csrf);
      assertThat(here.post("/account/password", form).statusCode()).isEqualTo(403);
      form.put("_csrf", here.csrf);
      // Wrong current password, mismatching confirmation, too short: 400 with the reason.
      form.put("current", "not my password");
      HttpResponse<String> wrong = here.post("/account/password", form);
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(wrong.body()).contains("the current password is wrong");
      form.put("current", PW);
      form.put("confirm", next + "x");
      assertThat(here.post("/account/password", form).body())
          .contains("the new password and its confirmation differ");
      form.put("password", "short");
      form.put("confirm", "short");
      assertThat(here.post("/account/password", form).body()).contains("at least 12 characters");
      assertThat(app.accounts().login("teacher-a", PW)).as("nothing changed yet").isPresent();

      form.put("password", next);
      form.put("confirm", next);
      HttpResponse<String> done = here.post("/account/password", form);
      assertThat(done.statusCode()).isEqualTo(302);
      assertThat(here.get(done.headers().firstValue("Location").orElseThrow()).body())
          .contains("password changed");
      // This session stays; the other one is logged out.
      assertThat(here.get("/overrides").statusCode()).isEqualTo(200);
      assertThat(elsewhere.get("/overrides").statusCode()).isEqualTo(302);
      assertThat(app.accounts().login("teacher-a", PW)).isEmpty();
      assertThat(app.accounts().login("teacher-a", next)).isPresent();
      assertThat(
              app.db()
                  .one(
                      "SELECT password_hash FROM accounts WHERE username = 'teacher-a'",
                      rs -> rs.getString(1))
                  .orElseThrow())
          .startsWith("$argon2id$")
          .doesNotContain(next);
      assertThat(auditCount(app, "account.password")).isEqualTo(1);
    }
  }

  private AnnotateApp start(String backend, Backends.MutableClock clock) throws Exception {
    return AnnotateApp.start(
        new AnnotateApp.Config(
            Backends.open(backend, tmp),
            tmp.resolve("overlays"),
            null,
            "127.0.0.1",
            0,
            0,
            2,
            false,
            clock));
  }

  private static long auditCount(AnnotateApp app, String action) {
    return app.db()
        .one("SELECT COUNT(*) FROM audit WHERE action = ?", rs -> rs.getLong(1), action)
        .orElseThrow();
  }
}
