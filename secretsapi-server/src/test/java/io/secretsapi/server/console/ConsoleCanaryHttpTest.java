package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A secret's value appears in no console page, fragment, redirect or refusal. */
class ConsoleCanaryHttpTest {
  static final String CANARY = "sk-canary-7f3a9c1e5b2d4f6a8c0e";
  static final String ROTATED = "sk-canary-rotated-1b3d5f7a9c2e4";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void everyPage_secretWithCanaryValue_neverShowsIt(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String id =
          s.root()
              .createSecret(
                  Map.of(
                      "name", "canary",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "owner", "AI Platform",
                      "value", CANARY))
              .get("id")
              .asString();
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      List<HttpResponse<String>> seen = new ArrayList<>();
      seen.add(c.logIn(s.rootKey()));
      seen.add(c.get("/console"));
      seen.add(c.get("/console/secrets"));
      seen.add(c.get("/console/secrets?scope=model-access&env=production&sort=name"));
      seen.add(c.get("/console/secrets?scope=model-access", Map.of("HX-Request", "true")));
      seen.add(c.postWithCsrf("/console/secrets/" + id + "/rotate", Map.of("value", ROTATED)));
      seen.add(c.get("/console/secrets?rotated=" + id));
      // a refusal that would repeat the value: the same value again, as a name
      seen.add(
          c.postWithCsrf(
              "/console/secrets",
              Map.of(
                  "name", ROTATED,
                  "provider", "openai",
                  "resource_class", "x",
                  "environment", "p",
                  "value", ROTATED)));
      seen.add(c.get("/console/secrets?scope=" + ROTATED));
      seen.add(c.postWithCsrf("/console/secrets/" + ROTATED + "/seal", Map.of()));
      assertThat(seen).allSatisfy(r -> assertThat(r.statusCode()).isLessThan(500));
      assertThat(seen.get(5).statusCode()).isEqualTo(303);
      assertThat(seen.get(7).statusCode()).isEqualTo(400);
      assertThat(seen).allSatisfy(r -> ConsoleAssertions.showsNone(r, CANARY, ROTATED));
      assertThat(s.auditRecords()).allSatisfy(a -> assertThat(a).doesNotContain(CANARY, ROTATED));
    }
  }
}
