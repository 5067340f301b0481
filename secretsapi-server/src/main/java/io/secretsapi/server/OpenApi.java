package io.secretsapi.server;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the OpenAPI 3.1 document from the route table, so that it describes exactly the endpoints
 * that exist: a route cannot be added without appearing here.
 */
final class OpenApi {

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
            "Credential broker for AI-assisted systems. The secret stays, the authorization travels."));
    doc.put(
        "components",
        Map.of(
            "securitySchemes",
                Map.of(
                    "apiKey", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "sk_...")),
            "schemas", Map.of("Problem", problemSchema())));
    Map<String, Map<String, Object>> paths = new TreeMap<>();
    for (RouteSpec r : routes) {
      paths
          .computeIfAbsent(openApiPath(r.path()), p -> new LinkedHashMap<>())
          .put(r.method().toLowerCase(), operation(r));
    }
    doc.put("paths", paths);
    return doc;
  }

  /** Javalin's slash-accepting {@code <path>} parameter, in OpenAPI's {@code {path}} spelling. */
  private static String openApiPath(String path) {
    return path.replaceAll("<([a-z_]+)>", "{$1}");
  }

  private static Map<String, Object> operation(RouteSpec r) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("summary", r.summary());
    op.put("operationId", r.method().toLowerCase() + r.path().replaceAll("[^A-Za-z0-9]+", "_"));
    if (!r.auth().equals("public")) {
      op.put("security", List.of(Map.of("apiKey", List.of())));
      op.put(
          "x-required-scope", r.scope().map(s -> s.wire()).orElse("any valid key; owner checked"));
    }
    List<Map<String, Object>> params = new java.util.ArrayList<>();
    var m = java.util.regex.Pattern.compile("\\{([a-z_]+)}").matcher(openApiPath(r.path()));
    while (m.find()) {
      params.add(
          Map.of(
              "name",
              m.group(1),
              "in",
              "path",
              "required",
              true,
              "schema",
              Map.of("type", "string")));
    }
    if (!params.isEmpty()) {
      op.put("parameters", params);
    }
    r.body()
        .ifPresent(
            b ->
                op.put(
                    "requestBody",
                    Map.of(
                        "required",
                        true,
                        "content",
                        Map.of("application/json", Map.of("schema", schema(b))))));
    Map<String, Object> responses = new LinkedHashMap<>();
    responses.put(String.valueOf(r.status()), Map.of("description", "success"));
    Map<String, Object> problem =
        Map.of(
            "description",
            "problem",
            "content",
            Map.of(
                "application/problem+json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Problem"))));
    responses.put("4XX", problem);
    responses.put("5XX", problem);
    op.put("responses", responses);
    return op;
  }

  private static Map<String, Object> schema(Class<?> type) {
    Map<String, Object> props = new LinkedHashMap<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        props.put(snake(c.getName()), typeOf(c.getGenericType()));
      }
    }
    return Map.of("type", "object", "additionalProperties", false, "properties", props);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static Map<String, Object> typeOf(Type t) {
    if (t == String.class) {
      return Map.of("type", "string");
    } else if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return Map.of("type", "integer");
    } else if (t == boolean.class || t == Boolean.class) {
      return Map.of("type", "boolean");
    } else if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      return Map.of("type", "array", "items", typeOf(p.getActualTypeArguments()[0]));
    }
    return Map.of("type", "object");
  }

  private static Map<String, Object> problemSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    for (String s :
        List.of(
            "type",
            "title",
            "detail",
            "instance",
            "field",
            "rule",
            "required_scope",
            "request_id")) {
      props.put(s, Map.of("type", "string"));
    }
    props.put("status", Map.of("type", "integer"));
    return Map.of("type", "object", "properties", props);
  }
}
