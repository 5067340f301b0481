package io.secretsapi.cli;

import static io.secretsapi.cli.CliTest.field;
import static io.secretsapi.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names where a person types an id, and the exit codes that say what happened. */
class NamesCliTest {
  private static CliTest.Run put(TestServer s, String name, String environment) throws Exception {
    Path value = TestDatabases.tempDir("names-").resolve("v.txt");
    Files.writeString(value, "sk-proj-names-0123456789abcdef");
    return run(
        s,
        "secret",
        "put",
        name,
        "--provider",
        "openai",
        "--resource-class",
        "model-access",
        "--environment",
        environment,
        "--value-file",
        value.toString());
  }

  @Test
  void secretCommands_uniqueName_actOnThatSecret() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String id = field(put(s, "openai-prod-key", "production").out(), "id");

      CliTest.Run get = run(s, "secret", "get", "openai-prod-key");
      CliTest.Run versions = run(s, "secret", "versions", "openai-prod-key", "-o", "json");
      CliTest.Run byId = run(s, "secret", "get", id);

      assertThat(get.code()).as(get.err()).isZero();
      assertThat(field(get.out(), "id")).isEqualTo(id);
      assertThat(versions.out()).contains("\"secret_id\" : \"" + id + "\"");
      assertThat(field(byId.out(), "name")).isEqualTo("openai-prod-key");
    }
  }

  @Test
  void secretGet_nameInTwoEnvironments_listsBothAndExitsUsage() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String prod = field(put(s, "openai-prod-key", "production").out(), "id");
      String staging = field(put(s, "openai-prod-key", "staging").out(), "id");

      CliTest.Run get = run(s, "secret", "get", "openai-prod-key");

      assertThat(get.code()).isEqualTo(2);
      assertThat(get.err())
          .contains("2 secrets have the name openai-prod-key")
          .contains(prod)
          .contains(staging)
          .contains("environment production")
          .contains("environment staging");
    }
  }

  @Test
  void secretGet_unknownName_exitsRefused() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      CliTest.Run get = run(s, "secret", "get", "no-such-key");

      assertThat(get.code()).isEqualTo(1);
      assertThat(get.err()).contains("no secret name no-such-key");
    }
  }

  @Test
  void apikeyCommands_serviceAccountAndKeyByName_resolveToTheirIds() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String account = field(run(s, "service-account", "create", "agent-runtime-04").out(), "id");

      CliTest.Run create =
          run(
              s,
              "apikey",
              "create",
              "--service-account",
              "agent-runtime-04",
              "--name",
              "runtime",
              "--scope",
              "secrets:read");
      CliTest.Run list = run(s, "apikey", "list", "--service-account", "agent-runtime-04");
      CliTest.Run get = run(s, "apikey", "get", "runtime");
      CliTest.Run revokeAccount = run(s, "service-account", "revoke", "agent-runtime-04");

      assertThat(create.code()).as(create.err()).isZero();
      assertThat(field(create.out(), "service_account_id")).isEqualTo(account);
      assertThat(list.out()).contains(field(create.out(), "id"));
      assertThat(field(get.out(), "id")).isEqualTo(field(create.out(), "id"));
      assertThat(revokeAccount.code()).as(revokeAccount.err()).isZero();
      assertThat(field(revokeAccount.out(), "status")).isEqualTo("revoked");
    }
  }

  @Test
  void apikeyRotate_wholeKeyPasted_isCutToItsIdAndNeverSent() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path keyFile = TestDatabases.tempDir("names-").resolve("runtime.key");
      run(
          s,
          "apikey",
          "create",
          "--name",
          "runtime",
          "--scope",
          "secrets:read",
          "--key-out",
          keyFile.toString());
      String whole = Files.readString(keyFile).strip();
      String secretPart = whole.substring(20);

      CliTest.Run rotate = run(s, "apikey", "rotate", whole, "--grace", "1m");
      CliTest.Run wrongKind = run(s, "secret", "get", whole);

      assertThat(rotate.code()).as(rotate.err()).isZero();
      assertThat(field(rotate.out(), "replaces")).isEqualTo(whole.substring(0, 19));
      assertThat(wrongKind.code()).isEqualTo(2);
      assertThat(wrongKind.err())
          .contains("that is an API key, not a secret")
          .doesNotContain(secretPart);
      assertThat(String.join("\n", s.auditRecords())).doesNotContain(secretPart);
      assertThat(Files.getPosixFilePermissions(keyFile))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
  }

  @Test
  void webhookCommands_url_standsForTheSubscription() {
    try (TestServer s =
        TestServer.start(TestStore.SQLITE, Map.of("webhooks.allow_internal", "true"))) {
      String url = "http://127.0.0.1:9/hooks/grants";
      CliTest.Run create = run(s, "webhook", "create", url, "--events", "grant,refusal");

      CliTest.Run get = run(s, "webhook", "get", url);
      CliTest.Run deliveries = run(s, "webhook", "deliveries", url);
      CliTest.Run delete = run(s, "webhook", "delete", url);
      CliTest.Run gone = run(s, "webhook", "get", url);

      assertThat(create.code()).as(create.err()).isZero();
      assertThat(field(get.out(), "id")).isEqualTo(field(create.out(), "id"));
      assertThat(deliveries.code()).as(deliveries.err()).isZero();
      assertThat(delete.code()).as(delete.err()).isZero();
      assertThat(gone.code()).isEqualTo(1);
    }
  }

  @Test
  void tokenIssue_nameWithAKeyThatMayNotListSecrets_saysSoAndAsksForTheId() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      put(s, "openai-prod-key", "production");
      run(s, "service-account", "create", "agent-runtime-04");
      Path keyFile = TestDatabases.tempDir("names-").resolve("agent.key");
      run(
          s,
          "apikey",
          "create",
          "--service-account",
          "agent-runtime-04",
          "--name",
          "runtime",
          "--scope",
          "tokens:issue",
          "--key-out",
          keyFile.toString());
      StringWriter err = new StringWriter();

      int code =
          Main.run(
              new PrintWriter(new StringWriter()),
              new PrintWriter(err, true),
              "token",
              "issue",
              "--secret",
              "openai-prod-key",
              "--scope",
              "model-access",
              "--addr=" + s.server().baseUrl(),
              "--token=" + Files.readString(keyFile).strip());

      assertThat(code).isEqualTo(1);
      assertThat(err.toString())
          .contains("cannot look up the secret name openai-prod-key")
          .contains("it lacks secrets:read")
          .contains("give the id (sec_...)");
    }
  }

  @Test
  void exitCodes_usageAndUnreachableBroker_areTwoAndFour() {
    StringWriter err = new StringWriter();
    int unreachable =
        Main.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "secret",
            "list",
            "--addr=http://127.0.0.1:1",
            "--token=sk_aaaaaaaaaaaaaaaa_" + "A".repeat(43));
    int usage =
        Main.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter(), true),
            "secret",
            "list",
            "--no-such-option");

    assertThat(unreachable).as(err.toString()).isEqualTo(4);
    assertThat(err.toString()).contains("cannot reach the broker").doesNotContain("AAAA");
    assertThat(usage).isEqualTo(2);
  }
}
