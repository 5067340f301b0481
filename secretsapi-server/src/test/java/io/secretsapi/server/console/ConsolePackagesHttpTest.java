package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API Services screen and an engine's credential vault over HTTP: real figures, postures and
 * bindings; what a key's scopes allow (reading with {@code secrets:read}, binding with {@code
 * policies:write}, the leases figure with {@code audit:read}); bind and unbind as the API makes
 * them, refused forms naming the field with nothing changed; no secret value on any page.
 */
class ConsolePackagesHttpTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void packages_operator_showsRealFiguresPostureAndBindings(TestStore store) throws Exception {
    try (PoolWorld w = PoolWorld.start(store)) {
      ConsoleClient ops = w.console(w.writer);
      String page = ops.get("/console/packages").body();
      assertThat(page)
          .contains("<h1>API Services</h1>", "API Services Pool", "Engine Service Bindings")
          .containsPattern(
              "id=\"fig-packages\"><dt>API Service Packages</dt><dd><span class=\"v\">2<")
          .containsPattern(
              "id=\"fig-credentials\"><dt>Tracked Credentials</dt><dd><span class=\"v\">2<")
          .containsPattern("id=\"fig-leases\"><dt>Live API Leases</dt><dd><span class=\"v\">0<")
          .doesNotContain("Usage Updates");
      assertThat(card(page, w.ready))
          .contains(
              "SaaS storefront / Stable", "Finance review bundle", "cloudflare · 1 credential")
          .contains("cloudflare-dns-token", "dns-edit", ">Ready<", "not bound");
      assertThat(card(page, w.review))
          .contains(">Review<", "openai-billing-key", w.billing, "validation failed at");
      assertThat(page)
          .contains(
              "POD Engine Alpha</a> -&gt; SaaS Growth Plan",
              "prod-node-01 / 3 of 6 used · Live frontend / Governed admin",
              "POD Storefront Core 2026.03.1",
              "no package bound");

      Response issued =
          w.ops()
              .send(
                  "POST",
                  "/tokens/issue",
                  "{\"secret_id\":\""
                      + w.dns
                      + "\",\"scope\":\"dns-edit\",\"ttl\":\"5m\",\"environment\":\"production\"}",
                  "application/json");
      assertThat(issued.status()).as(issued.body()).isEqualTo(200);
      assertThat(ops.get("/console/packages").body())
          .containsPattern("id=\"fig-leases\"><dt>Live API Leases</dt><dd><span class=\"v\">1<");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void packages_htmlSpecialName_shownAsText(TestStore store) throws Exception {
    try (PoolWorld w = PoolWorld.start(store)) {
      String page = w.console(w.writer).get("/console/packages").body();
      assertThat(page)
          .contains("Commerce &lt;b&gt;baseline&lt;/b&gt; &amp; ")
          .doesNotContain("<b>baseline</b>");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void packages_scopes_readerSeesNoControlAndOthersNoScreen(TestStore store) throws Exception {
    try (PoolWorld w = PoolWorld.start(store)) {
      ConsoleClient reader = w.console(w.reader);
      String page = reader.get("/console/packages").body();
      assertThat(page)
          .contains(PoolWorld.REVIEW_NAME, "POD Engine Alpha")
          .doesNotContain("fig-leases");
      assertThat(ConsoleScopesHttpTest.postForms(page)).containsOnly("/console/logout");
      assertThat(reader.get("/console/engines/" + w.engine).statusCode()).isEqualTo(200);
      HttpResponse<String> forged =
          reader.postWithCsrf(
              "/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.ready));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("policies:write");
      assertThat(w.engineJson()).contains("\"bindings\":[]");

      ConsoleClient noRead = w.console(ConsoleScopesHttpTest.keyWith(w.s, "audit:read"));
      assertThat(noRead.get("/console").body()).doesNotContain("/console/packages");
      assertThat(noRead.get("/console/packages").statusCode()).isEqualTo(403);
      assertThat(noRead.get("/console/engines/" + w.engine).statusCode()).isEqualTo(403);

      ConsoleClient ops = w.console(w.writer);
      assertThat(ops.get("/console").body()).contains("/console/packages", "API Services");
      assertThat(ConsoleScopesHttpTest.postForms(ops.get("/console/packages").body()))
          .contains("/console/packages/bind");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void bindAndUnbind_forms_doWhatTheApiDoesAndRefusalsNameTheField(TestStore store)
      throws Exception {
    try (PoolWorld w = PoolWorld.start(store)) {
      ConsoleClient ops = w.console(w.writer);
      ops.get("/console/packages");
      String before = w.engineJson();
      String[][] refused = {
        {"", w.ready, "400", "engine_id"},
        {w.engine, "", "400", "package_id"},
        {"eng_0000000000000000", w.ready, "400", "engine_id"},
        {w.engine, "pkg_0000000000000000", "400", "package_id"},
      };
      for (String[] r : refused) {
        HttpResponse<String> a =
            ops.postWithCsrf(
                "/console/packages/bind", Map.of("engine_id", r[0], "package_id", r[1]));
        assertThat(a.statusCode()).as(String.join(" ", r)).isEqualTo(Integer.parseInt(r[2]));
        assertThat(a.body()).contains("field: " + r[3]);
      }
      HttpResponse<String> noCsrf =
          ops.post("/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.ready));
      assertThat(noCsrf.statusCode()).isEqualTo(403);
      assertThat(w.engineJson()).isEqualTo(before);
      assertThat(w.ops().send("GET", "/policies/engine-" + w.engine, null, null).status())
          .isEqualTo(404);

      HttpResponse<String> bound =
          ops.postWithCsrf(
              "/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.ready));
      assertThat(bound.statusCode()).isEqualTo(303);
      assertThat(w.engineJson()).contains("\"package_id\":\"" + w.ready + "\"");
      assertThat(w.s.auditRecords())
          .anySatisfy(r -> assertThat(r).contains("engine.bind", "pool-ops", w.ready));
      String after = ops.get("/console/packages?bound=" + w.engine + "&package=" + w.ready).body();
      assertThat(after)
          .contains(
              "bound Commerce &lt;b&gt;baseline",
              "to POD Engine Alpha · policy engine-" + w.engine + " v1");
      assertThat(card(after, w.ready)).contains("POD Engine Alpha").doesNotContain("not bound");
      assertThat(ConsoleScopesHttpTest.postForms(after)).contains("/console/packages/unbind");

      HttpResponse<String> again =
          ops.postWithCsrf(
              "/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.ready));
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("field: package_id");

      String boundJson = w.engineJson();
      HttpResponse<String> unbindNoCsrf =
          ops.post(
              "/console/packages/unbind", Map.of("engine_id", w.engine, "package_id", w.ready));
      assertThat(unbindNoCsrf.statusCode()).isEqualTo(403);
      HttpResponse<String> unbindOther =
          ops.postWithCsrf(
              "/console/packages/unbind", Map.of("engine_id", w.engine, "package_id", w.review));
      assertThat(unbindOther.statusCode()).isEqualTo(400);
      assertThat(unbindOther.body()).contains("field: package_id");
      assertThat(w.engineJson()).isEqualTo(boundJson);

      HttpResponse<String> unbound =
          ops.postWithCsrf(
              "/console/packages/unbind", Map.of("engine_id", w.engine, "package_id", w.ready));
      assertThat(unbound.statusCode()).isEqualTo(303);
      assertThat(w.engineJson()).contains("\"bindings\":[]");
      assertThat(w.s.auditRecords())
          .anySatisfy(r -> assertThat(r).contains("engine.unbind", "pool-ops", w.ready));
      assertThat(ops.get("/console/packages?unbound=" + w.engine + "&package=" + w.ready).body())
          .contains("unbound Commerce &lt;b&gt;baseline", "from POD Engine Alpha");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void engineVault_selectedCredential_maskedWithNotesFromRealState(TestStore store)
      throws Exception {
    try (PoolWorld w = PoolWorld.start(store)) {
      for (String p : new String[] {w.ready, w.review}) {
        Response r =
            w.ops()
                .send(
                    "POST",
                    "/engines/" + w.engine + "/bindings",
                    "{\"package_id\":\"" + p + "\"}",
                    "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
      }
      ConsoleClient ops = w.console(w.writer);
      String vault = ops.get("/console/engines/" + w.engine).body();
      assertThat(vault)
          .contains("Credential Vault", "Selected Credential", "Credential Hygiene Notes")
          .contains(
              "<th scope=\"col\">Credential</th><th scope=\"col\">Engine</th><th scope=\"col\">Provider</th>"
                  + "<th scope=\"col\">Scope</th><th scope=\"col\">Status</th>"
                  + "<th scope=\"col\">Next Rotation</th><th scope=\"col\">Validation</th>")
          .contains(
              "cloudflare-dns-token", "openai-billing-key", ">Healthy<", ">Validation failed<");
      String failed =
          ops.get("/console/engines/" + w.engine + "?secret=" + w.billing + "&scope=model-access")
              .body();
      String selected = failed.substring(failed.indexOf("id=\"selected\""));
      assertThat(selected)
          .contains("openai-billing-key", "openai", "Validation failed", "reveal disabled")
          .contains("<button type=\"button\" disabled")
          .contains("No rotation schedule", "Scope model-access: proxy", "api.openai.com")
          .contains("Bundled by " + PoolWorld.REVIEW_NAME)
          .containsPattern("Fingerprint [^ <]+ \\| reveal disabled");
      String healthy =
          ops.get("/console/engines/" + w.engine + "?secret=" + w.dns + "&scope=dns-edit").body();
      assertThat(healthy.substring(healthy.indexOf("id=\"selected\"")))
          .contains(
              "cloudflare-dns-token", "Provider connectivity validated", "Probed on demand only.");
      assertThat(ops.get("/console/engines/eng_0000000000000000").statusCode()).isEqualTo(404);

      assertThat(w.ops().send("DELETE", "/secrets/" + w.dns, null, null).status()).isLessThan(300);
      HttpResponse<String> sealed =
          ops.get("/console/engines/" + w.engine + "?secret=" + w.dns + "&scope=dns-edit");
      assertThat(sealed.statusCode()).isEqualTo(200);
      assertThat(sealed.body().substring(sealed.body().indexOf("id=\"selected\"")))
          .contains("cloudflare-dns-token", "Secret sealed");
      assertThat(card(ops.get("/console/packages").body(), w.ready))
          .contains(">Review<", "cloudflare-dns-token", "the secret is sealed");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void canary_everyPoolPageAndRefusal_holdsNoSecretValue(TestStore store) throws Exception {
    try (PoolWorld w = PoolWorld.start(store)) {
      ConsoleClient ops = w.console(w.writer);
      ops.postWithCsrf(
          "/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.ready));
      ops.postWithCsrf(
          "/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.review));
      List<HttpResponse<String>> pages =
          List.of(
              ops.get("/console/packages"),
              ops.get("/console/engines/" + w.engine),
              ops.get("/console/engines/" + w.engine + "?secret=" + w.dns + "&scope=dns-edit"),
              ops.get(
                  "/console/engines/" + w.engine + "?secret=" + w.billing + "&scope=model-access"),
              ops.postWithCsrf(
                  "/console/packages/bind", Map.of("engine_id", w.engine, "package_id", w.ready)),
              ops.postWithCsrf(
                  "/console/packages/bind",
                  Map.of("engine_id", w.engine, "package_id", PoolWorld.GOOD)),
              w.console(w.reader).get("/console/engines/" + w.engine));
      assertThat(pages.get(5).statusCode()).isEqualTo(400);
      for (HttpResponse<String> p : pages) {
        assertThat(p.body()).doesNotContain("CANARY", "0123456789abcdef");
        ConsoleAssertions.hasSecurityHeaders(p);
        ConsoleAssertions.hasNoInlineScriptOrStyle(p.body());
      }
    }
  }

  /** The card of package {@code id} in the page. */
  private static String card(String page, String id) {
    int start = page.indexOf("id=\"pkg-" + id + "\"");
    assertThat(start).as("card of " + id).isPositive();
    int end = page.indexOf("<li class=\"pkg\"", start);
    return page.substring(start, end > 0 ? end : page.indexOf("Engine Service Bindings", start));
  }
}
