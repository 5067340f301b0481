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

  /**
   * Issue 17, defect 11: an export with its first records cut verified "ok" without {@code --prev}.
   * Nothing vouches for its first record, so it now fails as unanchored, and passes only when asked
   * to, with a warning.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void auditVerify_headTruncatedExport_failsAsUnanchoredUnlessAllowed(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      Path export = exportOfSomeRecords(s);
      List<String> lines = Files.readAllLines(export);
      Files.write(export, lines.subList(2, lines.size()));

      CliTest.Run cut = CliTest.run(s, "audit", "verify", export.toString());
      CliTest.Run allowed =
          CliTest.run(s, "audit", "verify", export.toString(), "--allow-unanchored");
      CliTest.Run anchored =
          CliTest.run(s, "audit", "verify", export.toString(), "--prev", leafHash(lines.get(1)));
      CliTest.Run wrongAnchor =
          CliTest.run(s, "audit", "verify", export.toString(), "--prev", leafHash(lines.get(0)));

      assertThat(cut.code()).as(cut.out()).isEqualTo(3);
      assertThat(cut.err()).contains("FAILED at offset 3", "unanchored", "--allow-unanchored");
      assertThat(cut.out()).doesNotContain("ok");
      assertThat(allowed.code()).as(allowed.err()).isZero();
      assertThat(allowed.err()).contains("warning: unanchored");
      assertThat(allowed.out()).startsWith("ok: ").contains("UNANCHORED");
      assertThat(anchored.code()).as(anchored.err()).isZero();
      assertThat(anchored.out()).startsWith("ok: " + (lines.size() - 2) + " records");
      assertThat(anchored.out() + anchored.err()).doesNotContainIgnoringCase("unanchored");
      assertThat(wrongAnchor.code()).isEqualTo(3);
    }
  }

  /**
   * Issue 17, defect 11: a receipt that does not match its export names each field that differs.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void auditVerify_receiptFieldChanged_namesTheField(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      Path export = exportOfSomeRecords(s);
      Path receipt = Path.of(export + ".receipt.json");
      Path jwks = export.resolveSibling("audit-jwks.json");
      Files.writeString(jwks, s.anonymous().send("GET", "/audit/jwks.json", null, null).body());
      String original = Files.readString(receipt);
      var json = tools.jackson.databind.json.JsonMapper.builder().build();
      var tree = (tools.jackson.databind.node.ObjectNode) json.readTree(original);
      Map<String, java.util.function.Consumer<tools.jackson.databind.node.ObjectNode>> changes =
          Map.of(
              "count", t -> t.put("count", t.get("count").asLong() + 1),
              "sha256", t -> t.put("sha256", "0".repeat(64)),
              "filename", t -> t.put("filename", "other.jsonl"),
              "filters.from",
                  t -> ((tools.jackson.databind.node.ObjectNode) t.get("filters")).put("from", 2),
              "checkpoint.tree_size",
                  t ->
                      ((tools.jackson.databind.node.ObjectNode) t.get("checkpoint"))
                          .put("tree_size", t.get("checkpoint").get("tree_size").asLong() - 1));

      for (var c : changes.entrySet()) {
        tools.jackson.databind.node.ObjectNode changed = tree.deepCopy();
        c.getValue().accept(changed);
        assertThat(changed).as(c.getKey()).isNotEqualTo(tree);
        Files.writeString(receipt, json.writeValueAsString(changed));
        CliTest.Run r =
            CliTest.run(
                s,
                "audit",
                "verify",
                export.toString(),
                "--receipt",
                receipt.toString(),
                "--public-key",
                jwks.toString());

        assertThat(r.code()).as(c.getKey()).isEqualTo(3);
        assertThat(r.err())
            .as(c.getKey())
            .contains("the receipt does not match the export: " + c.getKey() + ":");
      }
      Files.writeString(receipt, original);
      CliTest.Run ok =
          CliTest.run(
              s,
              "audit",
              "verify",
              export.toString(),
              "--receipt",
              receipt.toString(),
              "--public-key",
              jwks.toString());
      assertThat(ok.code()).as(ok.err()).isZero();
    }
  }

  private static Path exportOfSomeRecords(TestServer s) {
    for (int i = 0; i < 5; i++) {
      s.root()
          .send(
              "PUT",
              "/policies/P" + i,
              "rules:\n  - id: r\n    effect: deny\n    operations: [issue]\n",
              "application/yaml");
    }
    Path export = TestDatabases.tempDir("audit-cli-").resolve("audit.jsonl");
    CliTest.Run ex = CliTest.run(s, "audit", "export", "-f", export.toString());
    assertThat(ex.code()).as(ex.err()).isZero();
    return export;
  }

  private static String leafHash(String line) throws Exception {
    var sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update((byte) 0);
    return java.util.HexFormat.of()
        .formatHex(sha.digest(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
