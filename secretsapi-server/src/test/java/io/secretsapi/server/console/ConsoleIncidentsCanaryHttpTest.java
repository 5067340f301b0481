package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No secret value on the incident and rotation pages, and a replacement token only on the one
 * answer that opened its incident: never on a page after it, in a refusal, or in the audit trail.
 */
class ConsoleIncidentsCanaryHttpTest {
  static final String CANARY = "sk-canary-incident-5d7f9b1c3e";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void everyPage_afterTheOpeningAnswer_showsNoValueAndNoReplacementToken(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      LiveWorld w = LiveWorld.make(s);
      String fixed = w.secret("canary", CANARY);
      w.issue(fixed);
      String generated = ConsoleIncidentsHttpTest.generatedSecret(w, "generated-canary");
      w.issue(generated);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      HttpResponse<String> answer =
          c.postWithCsrf("/console/incidents", Map.of("secret_id", generated, "reason", "leak"));
      assertThat(answer.statusCode()).isEqualTo(201);
      List<String> tokens = ConsoleIncidentsHttpTest.tokensOf(answer.body());
      assertThat(tokens).isNotEmpty();
      String onGenerated = ConsoleIncidentsHttpTest.incidentOf(answer);
      HttpResponse<String> onFixed =
          c.postWithCsrf("/console/incidents", Map.of("secret_id", fixed, "reason", "leak"));
      String fixedId = ConsoleIncidentsHttpTest.incidentOf(onFixed);
      String rotated =
          c.postWithCsrf("/console/rotations", Map.of("secret_id", generated, "reason", "after"))
              .headers()
              .firstValue("Location")
              .orElseThrow();

      List<HttpResponse<String>> seen = new ArrayList<>();
      seen.add(onFixed);
      seen.add(c.get("/console/incidents"));
      seen.add(c.get("/console/incidents/" + onGenerated));
      seen.add(c.get("/console/incidents/" + fixedId));
      seen.add(c.postWithCsrf("/console/incidents", Map.of("secret_id", generated, "reason", "x")));
      seen.add(
          c.postWithCsrf("/console/incidents", Map.of("token_id", tokens.get(0), "reason", "x")));
      seen.add(c.postWithCsrf("/console/incidents/" + fixedId + "/close", Map.of("note", CANARY)));
      seen.add(c.get(rotated));
      seen.add(c.get("/console/rotations"));
      seen.add(c.get("/console/rotations?secret_id=" + CANARY));
      seen.add(c.get("/console/audit?secret_id=" + generated));
      seen.add(c.get("/console/events"));
      String[] hidden = Stream.concat(Stream.of(CANARY), tokens.stream()).toArray(String[]::new);
      assertThat(seen).allSatisfy(r -> assertThat(r.statusCode()).isLessThan(500));
      assertThat(seen.get(4).statusCode()).as("a second incident").isEqualTo(409);
      assertThat(seen.get(6).statusCode()).as("a note holding the value").isEqualTo(400);
      assertThat(seen).allSatisfy(r -> ConsoleAssertions.showsNone(r, hidden));
      assertThat(s.auditRecords()).allSatisfy(a -> assertThat(a).doesNotContain(hidden));
    }
  }
}
