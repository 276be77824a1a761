package dev.sieve.annotate;

import dev.sieve.core.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role parse(String s) {
      return Role.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT));
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

  /** Checks the password; on success opens a session and returns its cookie value. */
  public Optional<String> login(String username, String password) {
    Optional<String[]> row =
        db.one(
            "SELECT id, password_hash FROM accounts WHERE username = ? AND disabled = 0",
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            username == null ? "" : username.strip());
    if (row.isEmpty()) {
      // Same work for an unknown name: no timing oracle for which names exist.
      Passwords.verify(password == null ? "" : password, DUMMY_HASH);
      return Optional.empty();
    }
    if (!Passwords.verify(password == null ? "" : password, row.get()[1])) {
      return Optional.empty();
    }
    String token = Passwords.token();
    long now = clock.millis();
    db.update(
        "INSERT INTO sessions(token_hash, account_id, csrf_token, created_at, expires_at) VALUES (?,?,?,?,?)",
        hashToken(token),
        row.get()[0],
        Passwords.token(),
        now,
        now + SESSION_TTL.toMillis());
    return Optional.of(token);
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

  private static Account account(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Account(
        rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), rs.getString(4));
  }

  private static String hashToken(String token) {
    return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
  }

  private static final String DUMMY_HASH =
      Passwords.hash("not-a-real-password-" + UUID.randomUUID());
}
