package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every console form needs the session's CSRF token: without it nothing changes. */
class ConsoleCsrfHttpTest {
  static Map<String, String> form() {
    return Map.of(
        "name", "csrf-probe",
        "provider", "openai",
        "resource_class", "model-access",
        "environment", "production",
        "value", "sk-csrf-probe-0123456789");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void createForm_withoutOrWrongCsrf_refused403AndNothingChanges(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> none = c.post("/console/secrets", form());
      Map<String, String> wrong = new HashMap<>(form());
      wrong.put("_csrf", "A".repeat(43));
      HttpResponse<String> forged = c.post("/console/secrets", wrong);
      assertThat(none.statusCode()).isEqualTo(403);
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("CSRF");
      assertThat(s.root().listSecrets(Map.of()).get("total").asLong()).isZero();

      HttpResponse<String> real = c.postWithCsrf("/console/secrets", form());
      assertThat(real.statusCode()).isEqualTo(303);
      assertThat(s.root().listSecrets(Map.of()).get("total").asLong()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void sealForm_csrfOfAnotherSession_refused403AndSecretStaysActive(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String id =
          s.root()
              .createSecret(
                  Map.of(
                      "name", "kept",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "value", "sk-kept-0123456789"))
              .get("id")
              .asString();
      ConsoleClient mine = new ConsoleClient(s.server().baseUrl());
      mine.logIn(s.rootKey());
      ConsoleClient other = new ConsoleClient(s.server().baseUrl());
      other.logIn(s.rootKey());
      HttpResponse<String> r =
          mine.post("/console/secrets/" + id + "/seal", Map.of("_csrf", other.csrf()));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(s.root().getSecret(id).get("status").asString()).isEqualTo("active");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void logInAndForms_fromAnotherSite_refused403(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      HttpResponse<String> login =
          c.post(
              "/console/login",
              Map.of("api_key", s.rootKey()),
              Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
      assertThat(login.statusCode()).isEqualTo(403);
      assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();

      c.logIn(s.rootKey());
      Map<String, String> withToken = new HashMap<>(form());
      withToken.put("_csrf", c.csrf());
      HttpResponse<String> cross =
          c.post("/console/secrets", withToken, Map.of("Sec-Fetch-Site", "cross-site"));
      assertThat(cross.statusCode()).isEqualTo(403);
      assertThat(s.root().listSecrets(Map.of()).get("total").asLong()).isZero();
    }
  }
}
