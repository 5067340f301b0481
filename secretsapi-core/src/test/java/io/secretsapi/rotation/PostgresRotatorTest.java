package io.secretsapi.rotation;

import static io.secretsapi.rotation.RotationFixture.none;
import static io.secretsapi.rotation.RotationFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.Ids;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL rotator against the test PostgreSQL: two real roles, real logins. The test server
 * trusts every local login, so the two roles of this test are made to log in by password (a line
 * for them alone in pg_hba.conf, then a reload); other roles are untouched.
 */
class PostgresRotatorTest {
  @Test
  void runDue_postgresqlRotator_newPasswordLogsInPreviousUntilGraceEndThenNot() throws Exception {
    URI db = URI.create(TestStore.POSTGRES.freshUrl());
    String[] admin = db.getUserInfo().split(":", 2);
    String adminPassword = admin.length > 1 ? admin[1] : "";
    String jdbc = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath();
    String roleA = Ids.random("rot_a_", 8);
    String roleB = Ids.random("rot_b_", 8);
    String first = "first-password-" + Ids.random("", 16);
    try (Connection c = login(jdbc, admin[0], adminPassword);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + roleA + " LOGIN PASSWORD '" + first + "'");
      st.execute("CREATE ROLE " + roleB + " NOLOGIN");
      requirePasswords(st, roleA, roleB);
    }

    try (Broker b = Broker.start(TestStore.POSTGRES)) {
      RotationService rot = RotationFixture.engine(b.leading(), b);
      Secret adminSecret =
          secret(
              b,
              "pg-admin",
              "static",
              "{\"username\":\"" + admin[0] + "\",\"password\":\"" + adminPassword + "\"}");
      Secret app =
          secret(
              b,
              "pg-app",
              "static",
              "{\"username\":\"" + roleA + "\",\"password\":\"" + first + "\"}");
      rot.configure(
          b.root(),
          app.id(),
          new RotationSettings.Input(
              "postgresql",
              "10m",
              null,
              null,
              null,
              null,
              "5s",
              "postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath(),
              List.of(roleA, roleB),
              adminSecret.id()));
      try (Connection before = login(jdbc, roleA, first)) {
        RotationJob q = rot.queue(b.root(), app.id(), Trigger.OPERATOR, "quarterly", none());
        rot.runDue();
        assertThat(rot.get(b.root(), q.id()).state()).isEqualTo(RotationState.PREVIOUS);

        PostgresRotator.Pair now =
            PostgresRotator.Pair.parse("current", b.cleartext().current(app.id()));
        assertThat(now.username()).isEqualTo(roleB);
        assertThat(now.password()).hasSize(40).isNotEqualTo(first);
        assertThat(once(jdbc, roleB, now.password())).isTrue(); // the new pair
        assertThat(once(jdbc, roleA, first)).isTrue(); // the previous, in grace
        assertThat(works(before)).isTrue();

        b.clock().advance(Duration.ofMinutes(10));
        rot.runDue();
        assertThat(rot.get(b.root(), q.id()).state()).isEqualTo(RotationState.SEALED);
        assertThatThrownBy(() -> login(jdbc, roleA, first)).isInstanceOf(SQLException.class);
        assertThat(once(jdbc, roleB, now.password())).isTrue();
        assertThat(works(before)).isTrue(); // an open session is not cut
      }
    }
  }

  /**
   * Makes {@code roles} log in by password on the test server, which otherwise trusts local logins:
   * a line for them alone at the top of pg_hba.conf. An external server already asks passwords.
   */
  private static void requirePasswords(Statement st, String... roles) throws Exception {
    var rs = st.executeQuery("SHOW hba_file");
    rs.next();
    Path hba = Path.of(rs.getString(1));
    if (!Files.isWritable(hba)) {
      return;
    }
    String who = String.join(",", roles);
    String lines =
        "host all "
            + who
            + " 127.0.0.1/32 scram-sha-256\nhost all "
            + who
            + " ::1/128 scram-sha-256\n";
    Files.writeString(hba, lines + Files.readString(hba));
    st.execute("SELECT pg_reload_conf()");
    String jdbc =
        "jdbc:postgresql://" + st.getConnection().getMetaData().getURL().split("//", 2)[1];
    long end = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < end) { // the postmaster reloads on its own schedule
      try (Connection wrong = login(jdbc, roles[0], "not-the-password")) {
        Thread.onSpinWait();
      } catch (SQLException refused) {
        return;
      }
    }
    throw new AssertionError("the test server did not take up the password lines for " + who);
  }

  private static Connection login(String jdbc, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection(jdbc, p);
  }

  private static boolean once(String jdbc, String user, String password) throws SQLException {
    try (Connection c = login(jdbc, user, password)) {
      return works(c);
    }
  }

  private static boolean works(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      return st.execute("SELECT 1");
    }
  }
}
