package io.secretsapi.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document from the route table, so that it describes exactly the endpoints
 * that exist, with the answers, parameters and bodies each route declared where it is registered
 * (see {@link Route}). Nothing here is kept by hand per route.
 */
final class OpenApi {
  static final String PROBLEM = "#/components/responses/Problem";
  private static final Map<String, Object> REQUEST_ID_HEADER =
      Map.of("X-Request-Id", Map.of("$ref", "#/components/headers/RequestId"));
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");

  private static final Map<String, String> TAGS = new LinkedHashMap<>();

  static {
    TAGS.put("secrets", "The vault: store, list, show (masked), version, rotate and seal secrets");
    TAGS.put("scopes", "Narrow uses of one secret: operations, upstream, limits");
    TAGS.put("tokens", "Scoped tokens: issue, derive, introspect, resolve, inventory, revoke");
    TAGS.put("proxy", "Calls to an upstream with the secret injected, authorized by a token");
    TAGS.put(
        "mcp",
        "The MCP endpoint for agents: POST /mcp (JSON-RPC over Streamable HTTP, outside this"
            + " document) and the protected-resource metadata its clients read");
    TAGS.put("policies", "Versioned policy sets and the gate's dry run");
    TAGS.put("audit", "The signed, hash-linked audit trail, its checkpoints and proofs");
    TAGS.put("events", "The audit trail as a live stream");
    TAGS.put("webhooks", "Event deliveries to subscribed URLs");
    TAGS.put("validation", "Probing the provider with the stored key");
    TAGS.put("rotations", "The rotation engine: ROT- queue and per-secret rotation settings");
    TAGS.put("incidents", "Containment of a compromised secret in one call");
    TAGS.put("approvals", "Human approval of the grants a policy rule holds back");
    TAGS.put("exposure", "Exposure scores, their history and replay, and thresholds");
    TAGS.put("topology", "The resource topology: upstreams, their rates and states, trust zones");
    TAGS.put("packages", "Service packages, engines, bindings and engines' credential vaults");
    TAGS.put("access", "Service accounts and their API keys");
    TAGS.put("ops", "Health, metrics, this description and key rotation");
  }

  private OpenApi() {}

  static Map<String, Object> document(List<RouteSpec> routes, String version) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "SecretsAPI",
            "version",
            version,
            "description",
            "Credential broker for AI-assisted systems. The secret stays, the authorization"
                + " travels."));
    List<Map<String, Object>> tags = new ArrayList<>();
    TAGS.forEach((name, text) -> tags.add(Map.of("name", name, "description", text)));
    doc.put("tags", tags);
    Map<String, Map<String, Object>> paths = new TreeMap<>();
    for (RouteSpec r : routes) {
      paths
          .computeIfAbsent(openApiPath(r.path()), p -> new LinkedHashMap<>())
          .put(r.method().toLowerCase(Locale.ROOT), operation(r));
    }
    doc.put("paths", paths);
    doc.put("components", components(routes));
    return doc;
  }

  /**
   * The name of a request body's schema in {@code components/schemas}: the record's own name
   * ({@code IssueRequest}), or with its enclosing type's when that is not a route class ({@code
   * InjectionSpec}), which is what generators name the model.
   */
  static String bodyName(Class<?> type) {
    Class<?> outer = type.getEnclosingClass();
    return outer == null || outer.getSimpleName().endsWith("Routes")
        ? type.getSimpleName()
        : outer.getSimpleName() + type.getSimpleName();
  }

  private static Map<String, Object> components(List<RouteSpec> routes) {
    Map<String, Object> schemes = new LinkedHashMap<>();
    schemes.put(
        "apiKey",
        Map.of(
            "type",
            "http",
            "scheme",
            "bearer",
            "bearerFormat",
            "sk_...",
            "description",
            "An API key of a service account, as Authorization: Bearer sk_..."));
    schemes.put(
        "scopedToken",
        Map.of(
            "type",
            "http",
            "scheme",
            "bearer",
            "bearerFormat",
            "JWT",
            "description",
            "A scoped token from POST /tokens/issue, as Authorization: Bearer <token>: where an"
                + " OpenAI-style SDK sends its provider key. Never an API key."));
    schemes.put(
        "scopedTokenHeader",
        Map.of(
            "type",
            "apiKey",
            "in",
            "header",
            "name",
            "x-api-key",
            "description",
            "A scoped token in the header where an Anthropic-style SDK sends its provider key"
                + " (api-key and x-goog-api-key are taken too). Never forwarded upstream."));
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("securitySchemes", schemes);
    Map<String, Object> schemas = new LinkedHashMap<>(Schemas.components());
    for (RouteSpec r : routes) {
      if (r.body().isPresent() && r.body().get().isRecord()) {
        Class<?> b = r.body().get();
        Object prior = schemas.putIfAbsent(bodyName(b), JsonSchema.ofRecord(b));
        if (prior != null && !prior.equals(JsonSchema.ofRecord(b))) {
          throw new IllegalStateException(
              "two schemas are named " + bodyName(b) + ": rename the body record of " + r.path());
        }
      }
    }
    c.put("schemas", schemas);
    c.put(
        "responses",
        Map.of(
            "Problem",
            Map.of(
                "description",
                "a problem document (RFC 9457)",
                "headers",
                REQUEST_ID_HEADER,
                "content",
                Map.of(Problems.CONTENT_TYPE, Map.of("schema", JsonSchema.ref("Problem"))))));
    c.put(
        "parameters",
        Map.of(
            "RequestId",
            Map.of(
                "name",
                RequestIds.HEADER,
                "in",
                "header",
                "required",
                false,
                "description",
                "the caller's id for this request, kept when it is at most 40 of [A-Za-z0-9._:-]"
                    + " and not shaped like a credential; otherwise the broker makes one",
                "schema",
                Map.of("type", "string", "maxLength", 40, "pattern", "^[A-Za-z0-9._:-]+$"))));
    c.put(
        "headers",
        Map.of(
            "RequestId",
            Map.of(
                "description",
                "the request id: the caller's, when it was kept, or the broker's own",
                "schema",
                JsonSchema.string())));
    return c;
  }

  /** Javalin's slash-accepting {@code <path>} parameter, in OpenAPI's {@code {path}} spelling. */
  static String openApiPath(String path) {
    return path.replaceAll("<([a-z_]+)>", "{$1}");
  }

  /**
   * A stable camelCase name from the method and path: {@code POST /tokens/issue} is {@code
   * postTokensIssue}, {@code GET /secrets/{id}} is {@code getSecretsById}.
   */
  static String operationId(String method, String path) {
    StringBuilder b = new StringBuilder(method.toLowerCase(Locale.ROOT));
    for (String segment : openApiPath(path).split("/")) {
      boolean param = segment.startsWith("{");
      if (param) {
        b.append("By");
      }
      for (String word : segment.split("[^A-Za-z0-9]+")) {
        if (!word.isEmpty()) {
          b.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
      }
    }
    return b.toString();
  }

  private static Map<String, Object> operation(RouteSpec r) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("tags", List.of(r.tag()));
    op.put("summary", r.summary());
    op.put("operationId", operationId(r.method(), r.path()));
    op.put("security", security(r));
    switch (r.auth()) {
      case "scope" -> op.put("x-required-scope", r.scope().orElseThrow().wire());
      case "key" -> op.put("x-required-scope", "any valid key; owner checked");
      default -> {}
    }
    List<Map<String, Object>> params = parameters(r);
    if (!params.isEmpty()) {
      op.put("parameters", params);
    }
    if (r.body().isPresent() && !r.method().equals("GET") && !r.method().equals("HEAD")) {
      op.put("requestBody", requestBody(r));
    }
    op.put("responses", responses(r));
    return op;
  }

  private static List<Object> security(RouteSpec r) {
    return switch (r.auth()) {
      case "scope", "key" -> List.of(Map.of("apiKey", List.of()));
      case "token" ->
          r.path().startsWith("/proxy/")
              ? List.of(Map.of("scopedToken", List.of()), Map.of("scopedTokenHeader", List.of()))
              // the token may travel in the body instead
              : List.of(Map.of("scopedToken", List.of()), Map.of());
      default -> List.of();
    };
  }

  private static List<Map<String, Object>> parameters(RouteSpec r) {
    List<Map<String, Object>> params = new ArrayList<>();
    params.add(Map.of("$ref", "#/components/parameters/RequestId"));
    Matcher m = PATH_PARAM.matcher(openApiPath(r.path()));
    while (m.find()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", m.group(1));
      p.put("in", "path");
      p.put("required", true);
      p.put("schema", JsonSchema.string());
      if (r.path().contains("<" + m.group(1) + ">")) {
        p.put("description", "the rest of the path, slashes included");
      }
      params.add(p);
    }
    for (RouteSpec.Param q : r.params()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", q.name());
      p.put("in", q.in());
      p.put("required", q.required());
      p.put("description", q.description());
      p.put("schema", q.schema());
      params.add(p);
    }
    return params;
  }

  private static Map<String, Object> requestBody(RouteSpec r) {
    Class<?> body = r.body().orElseThrow();
    Map<String, Object> schema =
        body.isRecord() ? JsonSchema.ref(bodyName(body)) : JsonSchema.any();
    Map<String, Object> content = new LinkedHashMap<>();
    for (String type : r.bodyTypes()) {
      Map<String, Object> media = new LinkedHashMap<>();
      media.put("schema", type.equals("*/*") ? JsonSchema.any() : schema);
      if (type.equals("application/json")) {
        r.example().flatMap(RouteSpec.Example::request).ifPresent(e -> media.put("example", e));
      }
      content.put(type, media);
    }
    return Map.of("required", r.bodyRequired(), "content", content);
  }

  private static Map<String, Object> responses(RouteSpec r) {
    Map<String, Object> responses = new LinkedHashMap<>();
    for (RouteSpec.Answer a : r.answers()) {
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("description", a.description());
      response.put("headers", REQUEST_ID_HEADER);
      if (!a.content().isEmpty()) {
        Map<String, Object> content = new LinkedHashMap<>();
        a.content()
            .forEach(
                (type, schema) -> {
                  Map<String, Object> media = new LinkedHashMap<>();
                  media.put("schema", schema);
                  if (type.equals("application/json") && a.status() == r.status()) {
                    r.example().ifPresent(e -> media.put("example", e.answer()));
                  }
                  content.put(type, media);
                });
        if (a.status() == Api.UPSTREAM_STATUS) {
          content.put(Problems.CONTENT_TYPE, Map.of("schema", JsonSchema.ref("Problem")));
        }
        response.put("content", content);
      }
      responses.put(
          a.status() == Api.UPSTREAM_STATUS ? "default" : String.valueOf(a.status()), response);
    }
    if (!responses.containsKey("default")) {
      responses.put("4XX", Map.of("$ref", PROBLEM));
      responses.put("5XX", Map.of("$ref", PROBLEM));
    }
    return responses;
  }
}
