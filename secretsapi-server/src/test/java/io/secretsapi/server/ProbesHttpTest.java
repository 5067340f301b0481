package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19: health and metrics probes are counted, not written to the audit trail (a load
 * balancer's probe every second would be 86,400 records a day per node); every other request still
 * is, the public key sets and the API description included (design 0019).
 */
class ProbesHttpTest {
  static final int ROUNDS = 30;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void probes_manyProbes_addNoAuditRecordWhileAnAuthenticatedRequestAddsOne(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient anon = s.anonymous();
      double before = Scrape.of(s).sum("secretsapi_probes_total");
      int records = s.auditRecords().size();

      for (int i = 0; i < ROUNDS; i++) {
        for (String probe : Probes.ENDPOINTS) {
          assertThat(anon.send("GET", probe, null, null).status()).isEqualTo(200);
        }
      }

      assertThat(s.auditRecords()).hasSize(records);
      Scrape after = Scrape.of(s);
      // the scrape that read "before" is counted too, once it has answered
      assertThat(after.sum("secretsapi_probes_total") - before)
          .isBetween(3.0 * ROUNDS, 3.0 * ROUNDS + 1);
      for (String probe : Probes.ENDPOINTS) {
        assertThat(after.sum("secretsapi_probes_total", "endpoint=\"" + probe + "\""))
            .as(probe)
            .isGreaterThanOrEqualTo(ROUNDS);
      }
      assertThat(after.series("secretsapi_probes_total"))
          .allMatch(l -> l.contains("status=\"200\""));

      int beforeRequest = s.auditRecords().size();
      assertThat(s.root().send("GET", "/secrets", null, null).status()).isEqualTo(200);
      List<String> now = s.auditRecords();
      assertThat(now).hasSize(beforeRequest + 1);
      assertThat(now.get(now.size() - 1)).contains("\"route\":\"GET /secrets\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void publicEndpointsThatAreNotProbes_areStillAudited(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      for (String path : List.of("/.well-known/jwks.json", "/audit/jwks.json", "/openapi.json")) {
        int before = s.auditRecords().size();
        assertThat(s.anonymous().send("GET", path, null, null).status()).isEqualTo(200);
        List<String> now = s.auditRecords();
        assertThat(now).as(path).hasSize(before + 1);
        assertThat(now.get(now.size() - 1)).contains("\"route\":\"GET " + path + "\"");
      }
      assertThat(s.server().routes())
          .filteredOn(r -> !r.audited())
          .extracting(RouteSpec::path)
          .containsExactlyInAnyOrderElementsOf(Probes.ENDPOINTS);
    }
  }
}
