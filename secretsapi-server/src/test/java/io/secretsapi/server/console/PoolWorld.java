package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The API Services Pool of one operator account, for the console's tests: a loopback stand-in of
 * the providers' validation checks (a bearer key {@link #GOOD} passes, any other fails), two
 * secrets whose values hold {@code CANARY}, one validated healthy and one failing, a package of
 * each ("Ready" and "Review"), and an engine not yet bound. The operator's key ({@link #writer})
 * holds every scope the screens use; {@link #reader} only {@code secrets:read}, on the same
 * account.
 */
final class PoolWorld implements AutoCloseable {
  static final String GOOD = "cf-CANARY-pool-good-0123456789abcdef";
  static final String BAD = "sk-CANARY-pool-bad-0123456789abcdef";
  static final String READY_NAME = "Commerce <b>baseline</b> & \"co\"";
  static final String REVIEW_NAME = "Finance API pool";

  private static final String POLICY =
      """
      id: POOL
      rules:
        - id: operators-validate-and-issue
          effect: allow
          principals: ["pool-ops"]
          operations: [validate, issue]
      """;

  final HttpServer providers;
  final TestServer s;
  final String account;
  final String writer;
  final String reader;
  final String dns;
  final String billing;
  final String ready;
  final String review;
  final String engine;

  private PoolWorld(TestStore store) throws Exception {
    providers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    providers.createContext(
        "/",
        ex -> {
          boolean ok = ("Bearer " + GOOD).equals(ex.getRequestHeaders().getFirst("Authorization"));
          byte[] b =
              (ok ? "{\"ok\":true}" : "{\"error\":\"invalid\"}").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(ok ? 200 : 401, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    providers.start();
    String base = "http://127.0.0.1:" + providers.getAddress().getPort();
    s =
        TestServer.start(
            store,
            Map.of(
                "proxy.insecure_upstreams",
                base.substring("http://".length()),
                "validation.base_urls",
                "openai=" + base + ",cloudflare=" + base));
    SecretsApiClient root = s.root();
    assertThat(root.send("PUT", "/policies/POOL", POLICY, "application/yaml").status())
        .isEqualTo(200);
    account = root.createServiceAccount("pool-ops", "API Services operators").get("id").asString();
    writer =
        key(
            "operator",
            List.of(
                "secrets:read", "secrets:write", "policies:write", "audit:read", "tokens:issue"));
    reader = key("reader", List.of("secrets:read"));
    SecretsApiClient ops = root.withKey(writer);
    dns = secret(ops, "cloudflare-dns-token", "cloudflare", GOOD, "dns-edit", "api.cloudflare.com");
    billing = secret(ops, "openai-billing-key", "openai", BAD, "model-access", "api.openai.com");
    validate(ops, dns);
    validate(ops, billing);
    ready =
        pkg(ops, READY_NAME, "SaaS storefront / Stable", "Finance review bundle", dns, "dns-edit");
    review =
        pkg(
            ops,
            REVIEW_NAME,
            "SaaS and BaaS / Stable",
            "Operations integration bundle",
            billing,
            "model-access");
    engine =
        ops.call(
                "POST",
                "/engines",
                Map.of(
                    "name", "POD Engine Alpha",
                    "plan", "SaaS Growth Plan",
                    "placement", "prod-node-01",
                    "slots_used", 3,
                    "slots_total", 6,
                    "frontend_state", "Live frontend",
                    "admin_state", "Governed admin",
                    "release", "POD Storefront Core 2026.03.1",
                    "service_account_id", account))
            .get("id")
            .asString();
  }

  static PoolWorld start(TestStore store) throws Exception {
    return new PoolWorld(store);
  }

  /** The operator's API client. */
  SecretsApiClient ops() {
    return s.root().withKey(writer);
  }

  String base() {
    return s.server().baseUrl();
  }

  /** A console client logged in with {@code key}. */
  ConsoleClient console(String key) {
    ConsoleClient c = new ConsoleClient(base());
    assertThat(c.logIn(key).statusCode()).isEqualTo(303);
    return c;
  }

  /** The engine as {@code GET /engines/{id}} answers it. */
  String engineJson() {
    return ops().call("GET", "/engines/" + engine, null).toString();
  }

  private String key(String name, List<String> scopes) {
    return s.root()
        .createApiKey(Map.of("service_account_id", account, "name", name, "scopes", scopes))
        .get("key")
        .asString();
  }

  private static String secret(
      SecretsApiClient c, String name, String provider, String value, String scope, String host) {
    String id =
        c.createSecret(
                Map.of(
                    "name", name,
                    "provider", provider,
                    "resource_class", "api",
                    "environment", "production",
                    "value", value))
            .get("id")
            .asString();
    Response r =
        c.send(
            "POST",
            "/secrets/" + id + "/scope",
            "{\"name\":\""
                + scope
                + "\",\"operations\":[\"proxy\"],\"upstream\":{\"hosts\":[\""
                + host
                + "\"]},\"max_ttl\":\"15m\"}",
            "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return id;
  }

  private static void validate(SecretsApiClient c, String id) {
    Response r = c.send("POST", "/secrets/" + id + "/validate", null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static String pkg(
      SecretsApiClient c, String name, String tier, String lane, String secret, String scope) {
    return c.call(
            "POST",
            "/packages",
            Map.of(
                "name", name,
                "tier", tier,
                "review_lane", lane,
                "items", List.of(Map.of("secret_id", secret, "scope", scope))))
        .get("id")
        .asString();
  }

  @Override
  public void close() {
    s.close();
    providers.stop(0);
  }
}
