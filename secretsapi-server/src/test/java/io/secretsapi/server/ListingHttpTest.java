package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The listings' cursors over HTTP (design 0023): followed by the client, refused when forged. */
class ListingHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void forEachItem_followsNextCursor_returnsWhatOnePageHolds(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      for (int i = 0; i < 7; i++) {
        w.issue();
      }
      SecretsApiClient root = s.root();
      JsonNode trail = root.call("GET", "/audit/trail?limit=1000", null).get("items");
      String to = trail.get(trail.size() - 1).get("offset").asString(); // reads are audited too
      for (String path : List.of("/tokens", "/audit/trail?to=" + to, "/secrets")) {
        String[] p = path.split("\\?");
        Map<String, String> q = new java.util.LinkedHashMap<>(Map.of("limit", "2"));
        if (p.length > 1) {
          q.put("to", to);
        }
        List<JsonNode> paged = new ArrayList<>();
        root.forEachItem(p[0], q, paged::add);
        JsonNode one =
            root.call("GET", p[0] + "?limit=500" + (p.length > 1 ? "&" + p[1] : ""), null);
        assertThat(one.get("next_cursor").isNull()).isTrue();
        assertThat(paged).as(path).containsExactlyElementsOf(one.get("items"));
      }
      JsonNode first = root.call("GET", "/secrets?limit=1", null);
      assertThat(first.get("total").asInt()).isEqualTo(1);
      assertThat(first.get("total_exact").asBoolean()).isTrue();
      assertThat(first.get("next_cursor").isNull()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_forgedOrForeignCursorOrBadLimit_problemNamingFieldAndRule(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      for (int i = 0; i < 3; i++) {
        w.issue();
      }
      SecretsApiClient root = s.root();
      String cursor = root.call("GET", "/tokens?limit=1", null).get("next_cursor").asString();
      String[][] cases = {
        {"/tokens?cursor=not-a-cursor", "cursor", "format"},
        {"/tokens?cursor=" + cursor + "&status=revoked", "cursor", "filters"},
        {"/tokens?cursor=" + cursor + "&offset=3", "cursor", "exclusive"},
        {"/audit/trail?cursor=" + cursor, "cursor", "filters"},
        {"/secrets?cursor=" + cursor, "cursor", "filters"},
        {"/secrets?cursor=%7B%7D", "cursor", "format"},
        {"/tokens?limit=501", "limit", "range"},
        {"/tokens?limit=0", "limit", "range"},
        {"/secrets?limit=501", "limit", "range"},
        {"/audit/trail?limit=1001", "limit", "range"},
      };
      for (String[] c : cases) {
        Response r = root.send("GET", c[0], null, null);
        assertThat(r.status()).as(c[0]).isEqualTo(400);
        assertThat(r.contentType()).as(c[0]).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("field").asString()).as(c[0]).isEqualTo(c[1]);
        assertThat(p.get("rule").asString()).as(c[0]).isEqualTo(c[2]);
        assertThat(p.get("detail").asString()).as(c[0]).isNotBlank();
      }
    }
  }
}
