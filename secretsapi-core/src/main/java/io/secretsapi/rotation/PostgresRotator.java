package io.secretsapi.rotation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code postgresql} rotator: alternates two roles of one database (AWS Secrets Manager's
 * alternating-users strategy), so that what connected with the previous value keeps working for the
 * grace window. The secret's value is {@code {"username": "<role>", "password": "..."}}, naming one
 * of the two roles.
 *
 * <p>To rotate, it sets a fresh password on the other role (and LOGIN), as the admin whose
 * credentials are another secret of the vault; checks that the new pair logs in; and, once the
 * grace window of the old pair has ended, removes the old role's password, so that it logs in no
 * more. Sessions already open stay open, as PostgreSQL keeps them. Both roles must exist with the
 * same privileges (members of one group role, say); the rotator changes only their passwords.
 *
 * <p>The password is 40 alphanumeric characters, so it needs no quoting beyond the literal's; it
 * travels in an {@code ALTER ROLE} statement, which the server logs if {@code log_statement} is
 * {@code ddl} or {@code all}: turn that off for the admin role (docs/rotation.md).
 */
final class PostgresRotator implements Rotator {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Function<String, String> currentValue;

  /**
   * @param currentValue reads the current value of a vault secret (the admin's credentials)
   */
  PostgresRotator(Function<String, String> currentValue) {
    this.currentValue = currentValue;
  }

  /** A user and password pair, as the secret's value holds it. */
  record Pair(String username, String password) {
    static Pair parse(String field, String value) {
      try {
        JsonNode n = JSON.readTree(value);
        JsonNode u = n.get("username");
        JsonNode p = n.get("password");
        if (u != null && u.isString() && p != null && p.isString()) {
          return new Pair(u.asString(), p.asString());
        }
      } catch (RuntimeException e) {
        // reported below, without the value
      }
      throw new RotatorException(
          field + " is not JSON {\"username\": \"...\", \"password\": \"...\"}");
    }

    String json() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("username", username);
      m.put("password", password);
      return JSON.writeValueAsString(m);
    }

    @Override
    public String toString() {
      return "Pair[" + username + ", password=<redacted>]";
    }
  }

  @Override
  public String make(Context c) {
    String next = other(c, Pair.parse("the secret's current value", c.current()).username());
    String password = Generator.value(40, "alnum");
    try (Connection admin = admin(c);
        Statement st = admin.createStatement()) {
      st.execute("ALTER ROLE \"" + next + "\" WITH LOGIN PASSWORD '" + password + "'");
    } catch (SQLException e) {
      throw new RotatorException(
          "cannot set the password of role " + next + " (SQLState " + e.getSQLState() + ")");
    }
    return new Pair(next, password).json();
  }

  @Override
  public void verify(Context c, String pending) {
    Pair p = Pair.parse("the pending value", pending);
    try (Connection conn = connect(c, p);
        Statement st = conn.createStatement()) {
      st.execute("SELECT 1");
    } catch (SQLException e) {
      throw new RotatorException(
          "the new password of role "
              + p.username()
              + " does not log in (SQLState "
              + e.getSQLState()
              + ")");
    }
  }

  @Override
  public void retire(Context c) {
    String old = other(c, Pair.parse("the secret's current value", c.current()).username());
    try (Connection admin = admin(c);
        Statement st = admin.createStatement()) {
      st.execute("ALTER ROLE \"" + old + "\" WITH PASSWORD NULL");
    } catch (SQLException e) {
      throw new RotatorException(
          "cannot remove the password of role " + old + " (SQLState " + e.getSQLState() + ")");
    }
  }

  /** The role of the two that {@code username} is not. */
  private static String other(Context c, String username) {
    List<String> roles = c.settings().postgresRoles();
    if (!roles.contains(username)) {
      throw new RotatorException(
          "the secret's current username " + username + " is not one of the roles " + roles);
    }
    return roles.get(0).equals(username) ? roles.get(1) : roles.get(0);
  }

  private Connection admin(Context c) throws SQLException {
    String id = c.settings().postgresAdminSecret().orElseThrow();
    String value;
    try {
      value = currentValue.apply(id);
    } catch (RuntimeException e) {
      throw new RotatorException("cannot read the admin secret " + id + ": " + e.getMessage());
    }
    return connect(c, Pair.parse("the admin secret " + id, value));
  }

  private static Connection connect(Context c, Pair p) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", p.username());
    props.setProperty("password", p.password());
    int seconds = (int) Math.max(1, c.settings().timeout().toSeconds());
    props.setProperty("connectTimeout", String.valueOf(seconds));
    props.setProperty("socketTimeout", String.valueOf(seconds));
    props.setProperty("loginTimeout", String.valueOf(seconds));
    props.setProperty("ApplicationName", "secretsapi-rotator");
    return DriverManager.getConnection("jdbc:" + c.settings().postgresUrl().orElseThrow(), props);
  }
}
