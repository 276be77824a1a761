package dev.sieve.annotate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The app's one database: an embedded SQLite file by default (nothing to install for a single
 * annotator team), PostgreSQL when {@code SIEVE_DB_URL} is a {@code jdbc:postgresql:} URL (several
 * app replicas, backups, a team's existing server). Both are created and migrated on start by the
 * same Flyway migrations ({@code db/migration}), written in the SQL both accept, so a test on
 * either tests the schema the other runs.
 *
 * <p>Access is plain JDBC through a few helpers: the app has a dozen queries, and an ORM would hide
 * the very SQL that must stay portable.
 */
public final class Database implements AutoCloseable {

  /** Maps one result row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work done in one transaction. */
  @FunctionalInterface
  public interface TxWork<T> {
    T run(Connection c) throws SQLException;
  }

  private final HikariDataSource dataSource;
  private final boolean sqlite;
  private final String description;

  private Database(HikariDataSource dataSource, boolean sqlite, String description) {
    this.dataSource = dataSource;
    this.sqlite = sqlite;
    this.description = description;
  }

  /** SQLite at {@code file} (created with its parent directories). */
  public static Database sqlite(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    HikariConfig config = new HikariConfig();
    // WAL: readers do not block the writer; busy_timeout: a second writer waits instead of failing.
    config.setJdbcUrl(
        "jdbc:sqlite:"
            + file.toAbsolutePath()
            + "?journal_mode=WAL&busy_timeout=10000&foreign_keys=on");
    // One connection: SQLite has one writer; a single pooled connection serializes writes
    // in-process
    // instead of surfacing SQLITE_BUSY to users.
    config.setMaximumPoolSize(1);
    config.setPoolName("annotate-sqlite");
    return migrate(
        new Database(new HikariDataSource(config), true, "sqlite:" + file.toAbsolutePath()));
  }

  /** Any JDBC URL; {@code jdbc:sqlite:} or {@code jdbc:postgresql:}. */
  public static Database connect(String jdbcUrl, String user, String password) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return sqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())));
    }
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "SIEVE_DB_URL must be jdbc:postgresql:... or jdbc:sqlite:..., got "
              + jdbcUrl.replaceAll("password=[^&]*", "password=***"));
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(8);
    config.setPoolName("annotate-postgresql");
    String shown = jdbcUrl.replaceAll("password=[^&]*", "password=***");
    return migrate(new Database(new HikariDataSource(config), false, shown));
  }

  private static Database migrate(Database db) {
    try {
      Flyway.configure()
          .dataSource(db.dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  public boolean isSqlite() {
    return sqlite;
  }

  public String description() {
    return description;
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    return tx(c -> query(c, sql, mapper, args));
  }

  public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) {
    List<T> rows = query(sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(String sql, Object... args) {
    return tx(c -> update(c, sql, args));
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T tx(TxWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new DataException(e);
    }
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Boolean b) {
        ps.setInt(i + 1, b ? 1 : 0);
      } else if (a == null) {
        ps.setObject(i + 1, null);
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  /** Increments a named counter and returns the new value, inside the caller's transaction. */
  public static long nextCounter(Connection c, String name) throws SQLException {
    update(c, "UPDATE counters SET value = value + 1 WHERE name = ?", name);
    return query(c, "SELECT value FROM counters WHERE name = ?", rs -> rs.getLong(1), name).get(0);
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /**
   * A database failure, unchecked: the web layer answers 500 with a reference, gRPC UNAVAILABLE.
   */
  public static final class DataException extends RuntimeException {
    DataException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
