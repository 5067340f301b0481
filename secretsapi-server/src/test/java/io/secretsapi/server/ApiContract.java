package io.secretsapi.server;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The broker's OpenAPI document as a contract that answers are checked against: for a request's
 * method and path it finds the operation, for the answer's status and media type the declared
 * response, and validates the body against its schema with a JSON Schema 2020-12 validator. It also
 * refuses a query parameter the operation does not declare. Every route and status checked is
 * counted; the counts are written to {@code target/openapi-coverage.txt} when the JVM ends.
 */
final class ApiContract {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, ApiContract> BY_DOCUMENT = new ConcurrentHashMap<>();

  /** Operation ("GET /secrets/{id}") to the statuses and media types validated, suite-wide. */
  static final Map<String, Set<String>> COVERAGE = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ApiContract::writeCoverage));
  }

  private final JsonNode doc;
  private final List<Operation> operations = new ArrayList<>();

  /**
   * JSON Schema 2020-12, which OpenAPI 3.1 uses, with the document's components as a known word.
   */
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(
          Dialect.builder(Dialects.getDraft202012())
              .keyword(new NonValidationKeyword("components"))
              .build());

  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private record Operation(String method, String template, Pattern pattern, JsonNode node) {}

  private ApiContract(JsonNode doc) {
    this.doc = doc;
    for (var path : doc.get("paths").properties()) {
      String regex =
          Pattern.quote(path.getKey())
              .replace("{path}", "\\E.*\\Q")
              .replaceAll("\\{[a-z_]+}", "\\\\E[^/]+\\\\Q");
      for (var op : path.getValue().properties()) {
        operations.add(
            new Operation(
                op.getKey().toUpperCase(Locale.ROOT),
                path.getKey(),
                Pattern.compile(regex),
                op.getValue()));
      }
    }
    // A literal segment wins over a parameter: /policies/test before /policies/{id}.
    operations.sort(
        Comparator.comparingLong(o -> o.template().chars().filter(c -> c == '{').count()));
  }

  static ApiContract of(String document) {
    return BY_DOCUMENT.computeIfAbsent(document, d -> new ApiContract(JSON.readTree(d)));
  }

  JsonNode document() {
    return doc;
  }

  /** The operation's {@code METHOD /template}, or empty when no route has this method and path. */
  Optional<String> operation(String method, String rawPath) {
    return find(method, rawPath).map(o -> o.method() + " " + o.template());
  }

  private Optional<Operation> find(String method, String rawPath) {
    return operations.stream()
        .filter(o -> o.method().equals(method) && o.pattern().matcher(rawPath).matches())
        .findFirst();
  }

  /**
   * What is wrong with this answer to this request, as sentences that say what to declare; empty
   * when it fits the document.
   */
  List<String> check(
      String method, URI uri, int status, String contentType, Optional<String> body) {
    List<String> errors = new ArrayList<>();
    Optional<Operation> found = find(method, uri.getRawPath());
    String label = found.map(o -> o.method() + " " + o.template()).orElse(method + " (no route)");
    JsonNode response;
    if (found.isEmpty()) {
      // no route: the broker answers 404 or 405 with a problem document
      response = resolve(doc.get("components").get("responses").get("Problem"));
    } else {
      Operation op = found.get();
      if (status < 400) {
        // a success took the parameters; a refusal of one the route does not know is fine
        checkQuery(op, uri, errors);
      }
      JsonNode responses = op.node().get("responses");
      String s = String.valueOf(status);
      JsonNode r = responses.get(s);
      if (r == null) {
        r = responses.get(s.charAt(0) + "XX");
      }
      if (r == null) {
        r = responses.get("default");
      }
      if (r == null) {
        errors.add(
            label
                + " answered "
                + status
                + ", which it does not declare: add .answersWith("
                + status
                + ", mediaType, schema) where the route is registered, or fix the status");
        return errors;
      }
      response = resolve(r);
    }
    String media = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    JsonNode content = response.get("content");
    if (content == null || content.isEmpty()) {
      if (body.isPresent() && !body.get().isEmpty()) {
        errors.add(label + " answered " + status + " with a body, but declares none");
      }
      record(label, status + "");
      return errors;
    }
    String key = content.has(media) ? media : content.has("*/*") ? "*/*" : null;
    if (key == null) {
      errors.add(
          label
              + " answered "
              + status
              + " as "
              + (media.isEmpty() ? "no media type" : media)
              + ", but declares only "
              + content.propertyNames()
              + ": declare it with .answersWith(status, \""
              + media
              + "\", schema)");
      return errors;
    }
    record(label, status + " " + key);
    if (body.isEmpty() || method.equals("HEAD") || !media.endsWith("json")) {
      return errors; // a stream, or text: its media type is what the document says of it
    }
    JsonNode schemaNode = content.get(key).get("schema");
    JsonNode answer;
    try {
      answer = JSON.readTree(body.get());
    } catch (RuntimeException e) {
      errors.add(label + " answered " + status + " " + media + " that is not JSON");
      return errors;
    }
    for (var e : schema(schemaNode).validate(answer)) {
      errors.add(
          label
              + " answered "
              + status
              + ": "
              + e.getInstanceLocation()
              + " "
              + e.getMessage()
              + " (schema "
              + e.getEvaluationPath()
              + ")");
    }
    return errors;
  }

  /** The errors of {@code instance} against {@code schemaNode} (a schema of this document). */
  List<String> validate(JsonNode schemaNode, JsonNode instance) {
    return schema(schemaNode).validate(instance).stream()
        .map(e -> e.getInstanceLocation() + " " + e.getMessage())
        .toList();
  }

  private void checkQuery(Operation op, URI uri, List<String> errors) {
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty() || op.template().startsWith("/proxy/")) {
      return; // the proxy passes the query on to the upstream
    }
    Set<String> declared = new TreeSet<>();
    JsonNode params = op.node().get("parameters");
    if (params != null) {
      for (JsonNode p : params) {
        JsonNode param = resolve(p);
        declared.add(param.get("in").asString() + ":" + param.get("name").asString());
      }
    }
    for (String pair : query.split("&")) {
      String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
      if (!name.isEmpty() && !declared.contains("query:" + name)) {
        errors.add(
            op.method()
                + " "
                + op.template()
                + " was called with the query parameter "
                + name
                + ", which it does not declare: add .query(\""
                + name
                + "\", schema, description) where the route is registered");
      }
    }
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    return doc.at(ref.asString().substring(1));
  }

  /**
   * A validator for one schema of the document: the schema under {@code allOf} of a root that holds
   * the document's components, so that its {@code #/components/schemas/...} references resolve.
   */
  private Schema schema(JsonNode schemaNode) {
    return schemas.computeIfAbsent(
        schemaNode.toString(),
        k -> {
          ObjectNode root = JSON.createObjectNode();
          root.set("components", doc.get("components"));
          root.putArray("allOf").add(schemaNode);
          return registry.getSchema(root);
        });
  }

  private static void record(String operation, String answer) {
    COVERAGE.computeIfAbsent(operation, o -> ConcurrentHashMap.newKeySet()).add(answer);
  }

  private static void writeCoverage() {
    if (COVERAGE.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append("# answers validated against /openapi.json in this test run, by operation\n");
    new TreeMap<>(COVERAGE)
        .forEach(
            (op, answers) -> b.append(op).append("\t").append(new TreeSet<>(answers)).append('\n'));
    try {
      Path out = Path.of("target", "openapi-coverage.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, b.toString());
    } catch (IOException | RuntimeException e) {
      // a report only; the checks themselves already failed or passed their tests
    }
  }
}
