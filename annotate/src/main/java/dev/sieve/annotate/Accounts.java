package dev.sieve.annotate;

import dev.sieve.core.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accounts, roles and sessions. Roles: {@code annotator} (labels queues), {@code admin}
 * (everything, every tenant), {@code teacher} (one tenant: its reports and its overrides, nothing
 * else). No student identity is ever stored: reports carry a URL and a tenant, not who asked.
 *
 * <p>Sessions are random 256-bit tokens in an HttpOnly, SameSite=Strict cookie; only their SHA-256
 * is stored, so a copy of the database does not let anyone log in. Each session has its own CSRF
 * token, required on every state-changing request.
 */
public final class Accounts {

  /** A role. */
  public enum Role {
    ANNOTATOR,
    ADMIN,
    TEACHER;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
      return Role.valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** An account as the app sees it (never the hash). */
  public record Account(String id, String username, Role role, String tenantId) {
    public boolean isAdmin() {
      return role == Role.ADMIN;
    }

    public boolean canLabel() {
      return role == Role.ANNOTATOR || role == Role.ADMIN;
    }
  }

  /** A logged-in session. */
  public record Session(Account account, String csrfToken) {}

  /**
   * A log-in refused without checking the password because the account or the client address had
   * too many failures; {@link #retryAfterSeconds} says when to try again.
   */
  public static final class Throttled extends RuntimeException {
    private final long retryAfterSeconds;

    Throttled(long retryAfterSeconds) {
      super(
          "too many failed log-ins for this account or from this address: try again in "
              + retryAfterSeconds
              + " seconds");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /**
   * Failures a user name may have within {@link #THROTTLE_WINDOW} before it is locked. Five: a
   * person mistyping does not reach it, while an online guesser gets a handful of guesses per
   * window instead of Argon2id's few per second.
   */
  static final int ACCOUNT_FAILURE_LIMIT = 5;

  /**
   * Failures one client address may have within the window, over all names: higher than the account
   * limit because a school's NAT puts a whole staff room behind one address, low enough that
   * spraying one password over many names is stopped.
   */
  static final int ADDRESS_FAILURE_LIMIT = 20;

  static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
  static final Duration FIRST_LOCK = Duration.ofSeconds(30);
  static final Duration MAX_LOCK = Duration.ofMinutes(15);

  static final Duration SESSION_TTL = Duration.ofHours(12);
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final Database db;
  private final Clock clock;

  public Accounts(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Creates an account.
   *
   * @throws IllegalArgumentException for a bad name, a short password, a teacher without tenant or
   *     a name already taken
   */
  public Account create(String username, String password, Role role, String tenantId) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException(
          "user name: 2-64 characters, lower-case letters, digits, . _ -");
    }
    if (password == null || password.length() < 12) {
      throw new IllegalArgumentException("password: at least 12 characters");
    }
    String tenant = tenantId == null || tenantId.isBlank() ? null : tenantId.strip();
    if (role == Role.TEACHER && (tenant == null || !TENANT.matcher(tenant).matches())) {
      throw new IllegalArgumentException("a teacher account needs a tenant id");
    }
    if (role != Role.TEACHER) {
      tenant = null;
    }
    if (db.one("SELECT id FROM accounts WHERE username = ?", rs -> rs.getString(1), username)
        .isPresent()) {
      throw new IllegalArgumentException("user name taken: " + username);
    }
    String id = UUID.randomUUID().toString();
    db.update(
        "INSERT INTO accounts(id, username, password_hash, role, tenant_id, created_at) VALUES (?,?,?,?,?,?)",
        id,
        username,
        Passwords.hash(password),
        role.id(),
        tenant,
        clock.millis());
    return new Account(id, username, role, tenant);
  }

  public boolean isEmpty() {
    return db.one("SELECT COUNT(*) FROM accounts", rs -> rs.getLong(1)).orElse(0L) == 0;
  }

  public List<Account> list() {
    return db.query(
        "SELECT id, username, role, tenant_id FROM accounts ORDER BY username", Accounts::account);
  }

  public Optional<Account> byName(String username) {
    return db.one(
        "SELECT id, username, role, tenant_id FROM accounts WHERE username = ?",
        Accounts::account,
        username);
  }

  /** As {@link #login(String, String, String)} without a client address (tests, tools). */
  public Optional<String> login(String username, String password) {
    return login(username, password, null);
  }

  /**
   * Checks the password; on success opens a session and returns its cookie value.
   *
   * <p>Throttled per user name and per client address: after {@link #ACCOUNT_FAILURE_LIMIT} (or
   * {@link #ADDRESS_FAILURE_LIMIT}) failures within {@link #THROTTLE_WINDOW}, the key is locked for
   * {@link #FIRST_LOCK}, doubling with each further failure up to {@link #MAX_LOCK}; a locked key's
   * log-in is refused before the password is checked (so a right guess during the lock tells
   * nothing). Names that do not exist are throttled the same way (no oracle). A success clears the
   * name's count, not the address's. Each lock is audited.
   *
   * @throws Throttled when the name or the address is locked
   */
  public Optional<String> login(String username, String password, String clientAddress) {
    String name = username == null ? "" : username.strip();
    List<ThrottleKey> keys = new ArrayList<>();
    keys.add(new ThrottleKey("account:" + abbreviate(name), ACCOUNT_FAILURE_LIMIT));
    if (clientAddress != null && !clientAddress.isBlank()) {
      keys.add(
          new ThrottleKey("address:" + abbreviate(clientAddress.strip()), ADDRESS_FAILURE_LIMIT));
    }
    long now = clock.millis();
    long lockedUntil = 0;
    for (ThrottleKey key : keys) {
      lockedUntil =
          Math.max(
              lockedUntil,
              db.one(
                      "SELECT locked_until FROM login_throttle WHERE throttle_key = ?",
                      rs -> rs.getLong(1),
                      key.key())
                  .orElse(0L));
    }
    if (lockedUntil > now) {
      throw new Throttled(Math.max(1, (lockedUntil - now + 999) / 1000));
    }
    Optional<String[]> row =
        db.one(
            "SELECT id, password_hash FROM accounts WHERE username = ? AND disabled = 0",
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            name);
    boolean ok;
    if (row.isEmpty()) {
      // Same work for an unknown name: no timing oracle for which names exist.
      Passwords.verify(password == null ? "" : password, DUMMY_HASH);
      ok = false;
    } else {
      ok = Passwords.verify(password == null ? "" : password, row.get()[1]);
    }
    if (!ok) {
      for (ThrottleKey key : keys) {
        fail(key, name);
      }
      return Optional.empty();
    }
    db.update("DELETE FROM login_throttle WHERE throttle_key = ?", keys.get(0).key());
    return Optional.of(openSession(row.get()[0]));
  }

  /** A throttled key (a user name or a client address) and its failure limit. */
  private record ThrottleKey(String key, int limit) {}

  /** Counts a failure of {@code throttle}; locks it (and audits the lock) past its limit. */
  private void fail(ThrottleKey throttle, String attemptedName) {
    String key = throttle.key();
    int limit = throttle.limit();
    db.tx(
        c -> {
          long now = clock.millis();
          long[] row =
              Database.query(
                      c,
                      "SELECT failures, window_start FROM login_throttle WHERE throttle_key = ?",
                      rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                      key)
                  .stream()
                  .findFirst()
                  .orElse(null);
          long failures;
          long windowStart;
          if (row == null || now - row[1] > THROTTLE_WINDOW.toMillis()) {
            failures = 1;
            windowStart = now;
          } else {
            failures = row[0] + 1;
            windowStart = row[1];
          }
          long lockedUntil = 0;
          if (failures >= limit) {
            long shift = Math.min(failures - limit, 20);
            long lock = Math.min(MAX_LOCK.toMillis(), FIRST_LOCK.toMillis() << shift);
            lockedUntil = now + lock;
            Audit.record(
                c,
                clock,
                abbreviate(attemptedName.isEmpty() ? "?" : attemptedName),
                null,
                "login.locked",
                key
                    + ": "
                    + failures
                    + " failed log-ins since "
                    + Instant.ofEpochMilli(windowStart)
                    + "; locked for "
                    + lock / 1000
                    + " s");
          }
          Database.update(c, "DELETE FROM login_throttle WHERE throttle_key = ?", key);
          Database.update(
              c,
              "INSERT INTO login_throttle(throttle_key, failures, window_start, locked_until) VALUES (?,?,?,?)",
              key,
              failures,
              windowStart,
              lockedUntil);
          return null;
        });
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) : s;
  }

  private String openSession(String accountId) {
    String token = Passwords.token();
    long now = clock.millis();
    db.update(
        "INSERT INTO sessions(token_hash, account_id, csrf_token, created_at, expires_at) VALUES (?,?,?,?,?)",
        hashToken(token),
        accountId,
        Passwords.token(),
        now,
        now + SESSION_TTL.toMillis());
    return token;
  }

  /**
   * Changes {@code account}'s password after checking the current one (a stolen session alone
   * cannot take over the account), hashes the new one with Argon2id, ends the account's other
   * sessions (the one given stays), and audits it. A wrong current password counts as a failed
   * log-in of the account (throttled the same way).
   *
   * @throws IllegalArgumentException wrong current password, a new password under 12 characters, a
   *     confirmation that differs, or the same password again
   * @throws Throttled when the account is locked
   */
  public void changePassword(
      Account account, String current, String next, String confirm, String keepSessionToken) {
    String key = "account:" + abbreviate(account.username());
    long now = clock.millis();
    long lockedUntil =
        db.one(
                "SELECT locked_until FROM login_throttle WHERE throttle_key = ?",
                rs -> rs.getLong(1),
                key)
            .orElse(0L);
    if (lockedUntil > now) {
      throw new Throttled(Math.max(1, (lockedUntil - now + 999) / 1000));
    }
    String hash =
        db.one(
                "SELECT password_hash FROM accounts WHERE id = ? AND disabled = 0",
                rs -> rs.getString(1),
                account.id())
            .orElseThrow(() -> new IllegalArgumentException("no such account"));
    if (!Passwords.verify(current == null ? "" : current, hash)) {
      fail(new ThrottleKey(key, ACCOUNT_FAILURE_LIMIT), account.username());
      throw new IllegalArgumentException("the current password is wrong");
    }
    if (next == null || next.length() < 12) {
      throw new IllegalArgumentException("new password: at least 12 characters");
    }
    if (!next.equals(confirm)) {
      throw new IllegalArgumentException("the new password and its confirmation differ");
    }
    if (next.equals(current)) {
      throw new IllegalArgumentException("the new password is the current one");
    }
    String newHash = Passwords.hash(next);
    String keep = keepSessionToken == null ? "" : hashToken(keepSessionToken);
    db.tx(
        c -> {
          Database.update(
              c, "UPDATE accounts SET password_hash = ? WHERE id = ?", newHash, account.id());
          Database.update(
              c,
              "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?",
              account.id(),
              keep);
          Audit.record(
              c,
              clock,
              account.username(),
              account.tenantId(),
              "account.password",
              "password changed; other sessions ended");
          return null;
        });
  }

  public Optional<Session> session(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    return db.one(
        "SELECT a.id, a.username, a.role, a.tenant_id, s.csrf_token FROM sessions s JOIN accounts a ON a.id = s.account_id"
            + " WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0",
        rs -> new Session(account(rs), rs.getString(5)),
        hashToken(token),
        clock.millis());
  }

  public void logout(String token) {
    if (token != null) {
      db.update("DELETE FROM sessions WHERE token_hash = ?", hashToken(token));
    }
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(
        rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), rs.getString(4));
  }

  private static String hashToken(String token) {
    return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
  }

  private static final String DUMMY_HASH =
      Passwords.hash("not-a-real-password-" + UUID.randomUUID());
}
