package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Export the chain over HTTP, verify it offline with the CLI, then tamper with it. */
class AuditCliTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void auditVerify_untouchedExportPasses_tamperedOneNamesTheOffset(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      for (int i = 0; i < 5; i++) {
        s.root()
            .send(
                "PUT",
                "/policies/P" + i,
                "rules:\n  - id: r\n    effect: deny\n    operations: [issue]\n",
                "application/yaml");
      }
      s.root()
          .createSecret(
              Map.of(
                  "name",
                  "audited",
                  "provider",
                  "openai",
                  "resource_class",
                  "model-access",
                  "environment",
                  "production",
                  "value",
                  "sk-audit-0123456789"));
      Path dir = TestDatabases.tempDir("audit-cli-");
      Path export = dir.resolve("audit.jsonl");
      CliTest.Run ex = CliTest.run(s, "audit", "export", "-f", export.toString());
      assertThat(ex.code()).as(ex.err()).isZero();
      List<String> lines = Files.readAllLines(export);
      assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
      assertThat(String.join("\n", lines)).doesNotContain("sk-audit-0123456789");

      CliTest.Run ok = CliTest.run(s, "audit", "verify", export.toString());
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.out()).startsWith("ok: " + lines.size() + " records");

      Path receipt = Path.of(export + ".receipt.json");
      Path jwks = dir.resolve("audit-jwks.json");
      Files.writeString(jwks, s.anonymous().send("GET", "/audit/jwks.json", null, null).body());
      CliTest.Run withReceipt =
          CliTest.run(
              s,
              "audit",
              "verify",
              export.toString(),
              "--receipt",
              receipt.toString(),
              "--public-key",
              jwks.toString());
      assertThat(withReceipt.code()).as(withReceipt.err()).isZero();
      assertThat(withReceipt.out()).contains("signed checkpoint of size " + lines.size());
      Files.write(export, lines.subList(0, lines.size() - 1));
      CliTest.Run cut =
          CliTest.run(
              s,
              "audit",
              "verify",
              export.toString(),
              "--receipt",
              receipt.toString(),
              "--public-key",
              jwks.toString());
      assertThat(cut.code()).isEqualTo(3);
      Files.write(export, lines);

      List<String> tampered = new ArrayList<>(lines);
      tampered.set(2, tampered.get(2).replace("\"actor\":\"root\"", "\"actor\":\"ro0t\""));
      Files.write(export, tampered);
      CliTest.Run bad = CliTest.run(s, "audit", "verify", export.toString());
      assertThat(bad.code()).isEqualTo(3);
      assertThat(bad.err()).contains("FAILED at offset 3");

      var inc =
          s.root().call("GET", "/audit/proof/inclusion?offset=2&tree_size=" + lines.size(), null);
      List<String> proof = new ArrayList<>();
      inc.get("proof").forEach(p -> proof.add(p.asString()));
      assertThat(
              io.secretsapi.audit.MerkleTree.verifyInclusion(
                  1,
                  lines.size(),
                  inc.get("leaf_hash").asString(),
                  proof,
                  inc.get("root_hash").asString()))
          .isTrue();
      var con = s.root().call("GET", "/audit/proof/consistency?from=2&to=" + lines.size(), null);
      List<String> cproof = new ArrayList<>();
      con.get("proof").forEach(p -> cproof.add(p.asString()));
      assertThat(
              io.secretsapi.audit.MerkleTree.verifyConsistency(
                  2,
                  lines.size(),
                  con.get("from_root").asString(),
                  con.get("to_root").asString(),
                  cproof))
          .isTrue();
      assertThat(s.root().send("GET", "/audit/proof/consistency?from=5&to=2", null, null).status())
          .isEqualTo(400);

      var trail = s.root().call("GET", "/audit/trail?type=policy.change&limit=3", null);
      assertThat(trail.get("items").size()).isEqualTo(3);
      assertThat(trail.get("items").get(0).get("audit_ref").asString()).startsWith("AU-");
      assertThat(trail.get("items").get(0).get("record").get("type").asString())
          .isEqualTo("policy.change");
    }
  }
}
