package io.secretsapi.storage;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ValidationException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the broker keeps its state: an SQLite file or a PostgreSQL database.
 *
 * <p>Accepted forms: {@code sqlite:./data/secretsapi.db}, {@code jdbc:sqlite:...}, a path ending in
 * {@code .db}, {@code postgresql://user:password@host:5432/db} and {@code jdbc:postgresql:...}.
 * {@link #toString()} never prints the password.
 */
public final class StoreUrl {
  private final Dialect dialect;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private StoreUrl(Dialect dialect, String jdbcUrl, String user, String password) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /** Parses a store URL; the field name {@code store.url} is used in errors. */
  public static StoreUrl parse(String url) {
    requireNonNull(url, "url");
    String u = url.trim();
    if (u.startsWith("jdbc:sqlite:")) {
      return new StoreUrl(Dialect.SQLITE, u, null, null);
    }
    if (u.startsWith("sqlite:")) {
      return sqliteFile(Path.of(u.substring("sqlite:".length())));
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return new StoreUrl(Dialect.POSTGRES, u, null, null);
    }
    if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
      return postgres(URI.create(u));
    }
    if (u.endsWith(".db") || u.endsWith(".sqlite")) {
      return sqliteFile(Path.of(u));
    }
    throw new ValidationException(
        "store.url",
        "format",
        "store.url must be sqlite:PATH or postgresql://..., but got a value of another form");
  }

  /** An SQLite store in the given file. */
  public static StoreUrl sqliteFile(Path file) {
    return new StoreUrl(
        Dialect.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath().normalize(), null, null);
  }

  private static StoreUrl postgres(URI uri) {
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 5432;
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
    return new StoreUrl(Dialect.POSTGRES, jdbc, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public Dialect dialect() {
    return dialect;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The SQLite file, for an SQLite store. */
  public Optional<Path> sqlitePath() {
    if (dialect != Dialect.SQLITE) {
      return Optional.empty();
    }
    String p = jdbcUrl.substring("jdbc:sqlite:".length());
    int q = p.indexOf('?');
    return Optional.of(Path.of(q < 0 ? p : p.substring(0, q)));
  }

  @Override
  public String toString() {
    return dialect == Dialect.SQLITE
        ? jdbcUrl
        : jdbcUrl.replaceAll("password=[^&]*", "password=***");
  }
}
