package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a key's scopes allow through the API is what its console shows and does. */
class ConsoleScopesHttpTest {

  private static int accounts;

  /** The key of a new service account holding exactly {@code scopes}. */
  static String keyWith(TestServer s, String... scopes) {
    String account =
        s.root()
            .createServiceAccount("console-" + (++accounts), "console test")
            .get("id")
            .asString();
    return s.root()
        .createApiKey(
            Map.of(
                "service_account_id",
                account,
                "name",
                "console",
                "scopes",
                java.util.List.of(scopes)))
        .get("key")
        .asString();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void auditReadOnlyKey_seesNoWriteControlAndForgedPostRefused(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      assertThat(c.logIn(keyWith(s, "audit:read")).statusCode()).isEqualTo(303);
      String home = c.get("/console").body();
      assertThat(home).doesNotContain("/console/secrets").contains("Overview");
      assertThat(postForms(home)).containsOnly("/console/logout");
      assertThat(c.get("/console/secrets").statusCode()).isEqualTo(403);

      HttpResponse<String> forged =
          c.postWithCsrf(
              "/console/secrets",
              Map.of(
                  "name", "forged",
                  "provider", "openai",
                  "resource_class", "model-access",
                  "environment", "production",
                  "value", "sk-forged-0123456789"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("secrets:write");
      assertThat(s.root().listSecrets(Map.of()).get("total").asLong()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void readOnlyKey_vault_showsSecretsWithoutForms(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String writerKey = keyWith(s, "secrets:read", "secrets:write");
      s.root()
          .withKey(writerKey)
          .createSecret(
              Map.of(
                  "name", "mine",
                  "provider", "openai",
                  "resource_class", "model-access",
                  "environment", "production",
                  "value", "sk-mine-0123456789"));
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(keyWith(s, "secrets:read"));
      String vault = c.get("/console/secrets").body();
      assertThat(vault).contains("showing 0 of 0");
      assertThat(postForms(vault)).containsOnly("/console/logout");
      ConsoleClient writer = new ConsoleClient(s.server().baseUrl());
      writer.logIn(writerKey);
      String own = writer.get("/console/secrets").body();
      assertThat(own).contains("mine", "showing 1 of 1");
      assertThat(postForms(own)).contains("/console/secrets", "/console/logout");
    }
  }

  /** The actions of every POST form in {@code html}. */
  static java.util.List<String> postForms(String html) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"")
            .matcher(html);
    java.util.List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1).replaceAll("/sec_[a-z0-9]+/", "/{id}/"));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void vault_policyAndCheckpoint_shownUnderTableOnlyWithAuditRead(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String policy =
          "rules:\n  - id: agents-model-access\n    effect: allow\n"
              + "    principals: [\"agent-runtime-*\"]\n"
              + "    resources: {resource_classes: [model-access]}\n    operations: [issue]\n";
      assertThat(
              s.root().send("PUT", "/policies/KEY-SCOPE-17", policy, "application/yaml").status())
          .isLessThan(300);
      s.root().send("POST", "/audit/checkpoints", null, null);
      ConsoleClient auditor = new ConsoleClient(s.server().baseUrl());
      auditor.logIn(keyWith(s, "secrets:read", "audit:read"));
      String under = auditor.get("/console/secrets").body();
      assertThat(under)
          .contains("policy KEY-SCOPE-17 · v1")
          .containsPattern("signed · [0-9A-F]{4} · [0-9A-F]{4} · offset [0-9]+");
      ConsoleClient reader = new ConsoleClient(s.server().baseUrl());
      reader.logIn(keyWith(s, "secrets:read"));
      String plain = reader.get("/console/secrets").body();
      assertThat(plain).doesNotContain("KEY-SCOPE-17", "signed ·", "Checkpoint", "Offset");
    }
  }
}
