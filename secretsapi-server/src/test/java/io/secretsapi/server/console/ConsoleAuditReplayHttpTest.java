package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.audit.AuditLog;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit replay over HTTP: verification against the real store, scopes and canary values. */
class ConsoleAuditReplayHttpTest {

  @Test
  void verify_recordRewrittenWithItsLeafHash_saysNotVerifiedNamingIt() {
    String url = TestStore.SQLITE.freshUrl();
    try (TestServer s = TestServer.onStore(url, Map.of())) {
      PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      assertThat(c.get("/console/audit/verify?from=2&to=4").body())
          .contains("verified: 3 shown records included in the signed checkpoint");

      // an attacker with the database rewrites record 3 and its leaf hash, consistently
      rewrite(url, 3, true);
      assertThat(c.get("/console/audit/verify?from=2&to=4").body())
          .contains("not verified: AU-3: record 3 does not hash to the prev that record 4 holds")
          .doesNotContain("verified: 3");
      assertThat(c.get("/console/audit/verify?from=3&to=3").body())
          .contains("not verified: AU-3 does not verify against the signed root of size");
    }
  }

  @Test
  void verify_recordChangedButNotItsLeafHash_saysNotVerifiedNamingIt() {
    String url = TestStore.SQLITE.freshUrl();
    try (TestServer s = TestServer.onStore(url, Map.of())) {
      PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      rewrite(url, 2, false);
      assertThat(c.get("/console/audit/verify?from=1&to=5").body())
          .contains("not verified: AU-2: record 2 does not hash to the prev that record 3 holds");
      assertThat(c.get("/console/audit/verify?from=2&to=2").body())
          .contains("not verified: AU-2 does not hash to its stored leaf hash");
    }
  }

  @Test
  void auditReadOnlyKey_seesNoExportAndExportRefused() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      assertThat(c.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read")).statusCode())
          .isEqualTo(303);
      HttpResponse<String> page = c.get("/console/audit");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("Audit replay")
          .doesNotContain("export-form", "/console/audit/export");
      HttpResponse<String> export = c.get("/console/audit/export");
      assertThat(export.statusCode()).isEqualTo(403);
      assertThat(export.body()).contains("admin").doesNotContain("\"offset\":1,");
      assertThat(c.get("/console/audit/receipt.json").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void exportAndReceipt_overHttp_receiptDescribesTheBytesAndNoCanaryAnywhere() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld w = PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> export = c.get("/console/audit/export?from=1");
      assertThat(export.statusCode()).isEqualTo(200);
      String sha =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(export.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      String receipt = c.get("/console/audit/receipt.json").body();
      assertThat(receipt).contains("\"sha256\" : \"" + sha + "\"", "\"tree_size\"");
      for (String path :
          new String[] {
            "/console/audit",
            "/console/audit?secret_id=" + w.secretId(),
            "/console/audit/verify",
            "/console/audit/receipt.json"
          }) {
        assertThat(c.get(path).body()).as(path).doesNotContain(PolicyWorld.CANARY);
      }
      assertThat(export.body()).doesNotContain(PolicyWorld.CANARY);
    }
  }

  /**
   * Changes the time of record {@code offset} in the store's file, as someone with the file would;
   * with {@code leaf}, its stored leaf hash too, so that the record and its hash agree.
   */
  static void rewrite(String storeUrl, long offset, boolean leaf) {
    try (Connection db = DriverManager.getConnection("jdbc:" + storeUrl)) {
      db.createStatement().execute("PRAGMA busy_timeout = 5000");
      String record;
      try (PreparedStatement q =
          db.prepareStatement("SELECT record FROM audit_records WHERE audit_offset = ?")) {
        q.setLong(1, offset);
        ResultSet rs = q.executeQuery();
        assertThat(rs.next()).isTrue();
        record = rs.getString(1);
      }
      String forged = record.replaceFirst("\"time\":\"\\d{4}", "\"time\":\"1999");
      assertThat(forged).isNotEqualTo(record);
      try (PreparedStatement u =
          db.prepareStatement(
              "UPDATE audit_records SET record = ?, leaf_hash = ? WHERE audit_offset = ?")) {
        u.setString(1, forged);
        u.setString(
            2,
            leaf
                ? AuditLog.leafHash(forged)
                : db.createStatement()
                    .executeQuery(
                        "SELECT leaf_hash FROM audit_records WHERE audit_offset = " + offset)
                    .getString(1));
        u.setLong(3, offset);
        assertThat(u.executeUpdate()).isEqualTo(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
