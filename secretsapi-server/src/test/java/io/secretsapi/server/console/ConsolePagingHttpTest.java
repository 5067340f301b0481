package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vault, token and audit screens page through their listings by the API's cursor: following
 * "next page" shows every item once, in the listing's order, with the filters kept, and the last
 * page has no such link; a cursor that is not one is refused by field and rule.
 */
class ConsolePagingHttpTest {
  private static final Pattern NEXT = Pattern.compile("id=\"page-next\" href=\"([^\"]+)\"");

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void nextPage_followedToTheEnd_showsEveryItemOnceInTheApisOrder(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient root = s.root();
      String first = null;
      for (int i = 0; i < 7; i++) {
        String id =
            root.createSecret(
                    Map.of(
                        "name",
                        "paged-" + i,
                        "provider",
                        "openai",
                        "resource_class",
                        i % 2 == 0 ? "model-access" : "payments",
                        "environment",
                        "production",
                        "value",
                        "sk-paged-value-0123456789-" + i))
                .get("id")
                .asString();
        first = first == null ? id : first;
      }
      var scope =
          root.send(
              "POST",
              "/secrets/" + first + "/scope",
              "{\"name\":\"model-access\",\"operations\":[\"proxy\"],\"max_ttl\":\"15m\"}",
              "application/json");
      assertThat(scope.status()).as(scope.body()).isEqualTo(201);
      var policy =
          root.send(
              "PUT",
              "/policies/KEY-SCOPE-17",
              PolicyWorld.POLICY_V1.replace("agent-runtime-*", "root"),
              "application/yaml");
      assertThat(policy.status()).as(policy.body()).isEqualTo(200);
      // one page of the token screen is 50: 53 tokens make two pages
      for (int i = 0; i < 53; i++) {
        root.call(
            "POST",
            "/tokens/issue",
            Map.of(
                "secret_id",
                first,
                "scope",
                "model-access",
                "ttl",
                "10m",
                "environment",
                "production"));
      }
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      List<String> vault = follow(c, "/console/secrets?sort=name&limit=3", "data-secret");
      assertThat(vault)
          .containsExactly(
              ids(root, "/secrets?sort=name&status=active&limit=500", "id").toArray(String[]::new))
          .hasSize(7);
      List<String> paymentsOnly =
          follow(c, "/console/secrets?scope=payments&sort=name&limit=2", "data-secret");
      assertThat(paymentsOnly)
          .containsExactlyElementsOf(
              ids(root, "/secrets?resource_class=payments&sort=name&limit=500", "id"))
          .hasSize(3);

      List<String> tokens = follow(c, "/console/tokens?secret_id=" + first, "data-token");
      assertThat(tokens)
          .containsExactlyElementsOf(
              ids(root, "/tokens?secret_id=" + first + "&limit=500", "token_id"))
          .hasSize(53);

      List<String> audit = follow(c, "/console/audit?limit=4", "data-offset");
      List<String> all = new ArrayList<>();
      for (long i = 1; i <= Long.parseLong(audit.get(audit.size() - 1)); i++) {
        all.add(Long.toString(i));
      }
      assertThat(audit).containsExactlyElementsOf(all).hasSizeGreaterThan(60);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void cursor_forgedOrOfAnotherListing_refusedByFieldAndNoListingShown(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      String auditCursor = nextCursor(c.get("/console/audit?limit=1").body());
      for (String path :
          List.of(
              "/console/secrets?cursor=not-a-cursor",
              "/console/tokens?cursor=not-a-cursor",
              "/console/audit?cursor=not-a-cursor",
              "/console/tokens?cursor=" + auditCursor,
              "/console/audit?cursor=" + auditCursor + "&type=token.issue")) {
        HttpResponse<String> page = c.get(path);
        assertThat(page.statusCode()).as(path).isEqualTo(400);
        assertThat(page.body()).as(path).contains("cursor").doesNotContain("id=\"page-next\"");
      }
    }
  }

  /** Follows "next page" from {@code path}, collecting the attribute's values of every row. */
  private static List<String> follow(ConsoleClient c, String path, String attribute) {
    Pattern row = Pattern.compile(attribute + "=\"([^\"]+)\"");
    Set<String> seen = new LinkedHashSet<>();
    List<String> order = new ArrayList<>();
    String next = path;
    for (int pages = 0; next != null; pages++) {
      assertThat(pages).as("pages of " + path).isLessThan(100);
      HttpResponse<String> page = c.get(next);
      assertThat(page.statusCode()).as(next).isEqualTo(200);
      if (pages > 0) {
        assertThat(page.body()).as(next).contains("id=\"page-first\"");
      }
      Matcher m = row.matcher(page.body());
      while (m.find()) {
        assertThat(seen.add(m.group(1))).as("shown twice: " + m.group(1)).isTrue();
        order.add(m.group(1));
      }
      Matcher n = NEXT.matcher(page.body());
      next = n.find() ? n.group(1).replace("&amp;", "&") : null;
      if (next != null) {
        assertThat(next).as("the filters are kept").startsWith(path.split("\\?")[0]);
        for (String filter : path.contains("?") ? path.split("\\?")[1].split("&") : new String[0]) {
          assertThat(next).as(next).contains(filter);
        }
      }
    }
    return order;
  }

  private static String nextCursor(String body) {
    Matcher n = NEXT.matcher(body);
    assertThat(n.find()).as("a next page").isTrue();
    String href = n.group(1).replace("&amp;", "&");
    return href.substring(href.indexOf("cursor=") + "cursor=".length());
  }

  private static List<String> ids(SecretsApiClient root, String path, String field) {
    List<String> out = new ArrayList<>();
    root.call("GET", path, null).get("items").forEach(x -> out.add(x.get(field).asString()));
    return out;
  }
}
