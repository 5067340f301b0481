package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAPI document as a parser, a client generator and a reader of the examples see it. */
class OpenApiTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The six endpoints of the source documents, which carry examples. */
  static final List<String> SOURCE_ENDPOINTS =
      List.of(
          "POST /secrets/{id}/scope",
          "GET /access/events",
          "POST /tokens/issue",
          "POST /secrets/{id}/rotate",
          "POST /access/revoke",
          "GET /audit/trail");

  private static TestServer server;
  private static String text;
  private static JsonNode doc;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestStore.SQLITE);
    Response r = server.anonymous().send("GET", "/openapi.json", null, null);
    assertThat(r.status()).isEqualTo(200);
    text = r.body();
    doc = JSON.readTree(text);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void openApi_readBySwaggerParser_hasNoErrorsAndNoWarnings() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
    assertThat(parsed.getMessages()).as("parser errors and warnings").isEmpty();
    assertThat(parsed.getOpenAPI()).isNotNull();
    assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(parsed.getOpenAPI().getPaths()).hasSize(doc.get("paths").size());
  }

  @Test
  void openApi_describesExactlyTheRoutesThatAnswer() {
    Set<String> documented = new HashSet<>();
    for (var path : doc.get("paths").properties()) {
      for (var op : path.getValue().properties()) {
        documented.add(op.getKey().toUpperCase() + " " + path.getKey());
        assertThat(op.getValue().get("summary").asString()).isNotBlank();
      }
    }
    Set<String> routed = new HashSet<>();
    for (RouteSpec r : server.server().routes()) {
      routed.add(r.method() + " " + OpenApi.openApiPath(r.path()));
      Response answer =
          server
              .anonymous()
              .send(r.method(), r.path().replaceAll("\\{[a-z_]+}|<[a-z_]+>", "x"), null, null);
      assertThat(answer.body())
          .as(r.method() + " " + r.path() + " is routed")
          .doesNotContain("no route for");
    }
    assertThat(documented).isEqualTo(routed);
    JsonNode create = doc.get("paths").get("/secrets").get("post");
    assertThat(create.get("x-required-scope").asString()).isEqualTo("secrets:write");
  }

  @Test
  void openApi_everyOperation_hasAUniqueCamelCaseOperationIdATagAndASuccessSchema() {
    Set<String> ids = new HashSet<>();
    Set<String> tags = new HashSet<>();
    doc.get("tags").forEach(t -> tags.add(t.get("name").asString()));
    for (var path : doc.get("paths").properties()) {
      for (var op : path.getValue().properties()) {
        String label = op.getKey().toUpperCase() + " " + path.getKey();
        JsonNode o = op.getValue();
        String id = o.get("operationId").asString();
        assertThat(id).as(label).matches("[a-z]+([A-Z][A-Za-z0-9]*)*");
        assertThat(ids.add(id)).as(label + ": operationId " + id + " is unique").isTrue();
        assertThat(o.get("tags")).as(label).hasSize(1);
        assertThat(tags)
            .as(label + " has a declared tag")
            .contains(o.get("tags").get(0).asString());
        JsonNode responses = o.get("responses");
        boolean success = false;
        for (var answer : responses.properties()) {
          if (answer.getKey().startsWith("2") || answer.getKey().equals("default")) {
            success = true;
            JsonNode content = answer.getValue().get("content");
            if (content != null) {
              content.forEach(m -> assertThat(m.has("schema")).as(label).isTrue());
            }
          }
        }
        assertThat(success).as(label + " declares its success answer").isTrue();
        if (!path.getKey().startsWith("/proxy/")) {
          assertThat(responses.get("4XX").get("$ref").asString())
              .as(label + " answers problems")
              .isEqualTo(OpenApi.PROBLEM);
        }
      }
    }
    assertThat(ids).contains("postTokensIssue", "getSecretsById", "getAccessEvents");
  }

  @Test
  void openApi_problem_isRfc9457WithTheBrokersExtensionMembers() {
    JsonNode problem = doc.at("/components/schemas/Problem");
    assertThat(problem.get("properties").propertyNames())
        .contains(
            "type",
            "title",
            "status",
            "detail",
            "instance",
            "field",
            "rule",
            "audit_ref",
            "required_scope",
            "request_id");
    assertThat(doc.at("/components/responses/Problem/content").propertyNames())
        .containsExactly("application/problem+json");
  }

  @Test
  void openApi_requestBodies_listTheRequiredFieldsOfTheirRecords() {
    assertThat(
            doc.at("/paths/~1tokens~1issue/post/requestBody/content/application~1json/schema/$ref")
                .asString())
        .isEqualTo("#/components/schemas/IssueRequest");
    JsonNode issue = doc.at("/components/schemas/IssueRequest");
    assertThat(issue.get("required"))
        .extracting(JsonNode::asString)
        .containsExactly("secret_id", "scope", "ttl");
    assertThat(issue.get("additionalProperties").asBoolean()).isFalse();
    JsonNode secret = doc.at("/components/schemas/CreateSecret");
    assertThat(secret.get("required"))
        .extracting(JsonNode::asString)
        .containsExactly("name", "provider", "resource_class", "environment");
    assertThat(secret.at("/properties/injection/required"))
        .extracting(JsonNode::asString)
        .containsExactly("in");
    assertThat(doc.at("/paths/~1secrets~1{id}~1rotate/post/requestBody/required").asBoolean())
        .as("rotate takes an optional body")
        .isFalse();
  }

  @Test
  void openApi_declaresYamlPoliciesTheEventStreamItsHeadersAndTheQueryParameters() {
    assertThat(doc.at("/paths/~1policies~1{id}/put/requestBody/content").propertyNames())
        .containsExactly("application/json", "application/yaml");
    JsonNode events = doc.at("/paths/~1access~1events/get");
    assertThat(events.at("/responses/200/content").propertyNames())
        .containsExactly("text/event-stream", "application/json");
    List<String> params = new ArrayList<>();
    for (JsonNode p : events.get("parameters")) {
      params.add(param(p).get("in").asString() + ":" + param(p).get("name").asString());
    }
    assertThat(params)
        .contains(
            "header:Last-Event-ID",
            "header:X-Request-Id",
            "query:after",
            "query:secret_id",
            "query:limit");
    List<String> secrets = new ArrayList<>();
    doc.at("/paths/~1secrets/get/parameters")
        .forEach(p -> secrets.add(param(p).get("name").asString()));
    assertThat(secrets).contains("resource_class", "environment", "limit", "offset");
  }

  private static JsonNode param(JsonNode p) {
    return p.has("$ref") ? doc.at(p.get("$ref").asString().substring(1)) : p;
  }

  @Test
  void openApi_proxy_isAuthorizedByTheScopedTokenNotAnApiKey() {
    JsonNode schemes = doc.at("/components/securitySchemes");
    assertThat(schemes.at("/scopedTokenHeader/name").asString()).isEqualTo("x-api-key");
    for (var op : doc.at("/paths/~1proxy~1{host}~1{path}").properties()) {
      List<String> used = new ArrayList<>();
      op.getValue().get("security").forEach(s -> used.addAll(s.propertyNames()));
      assertThat(used).as(op.getKey()).containsExactly("scopedToken", "scopedTokenHeader");
      assertThat(op.getValue().at("/responses/default/content").propertyNames())
          .contains("*/*", "application/problem+json");
    }
    List<String> issue = new ArrayList<>();
    doc.at("/paths/~1tokens~1issue/post/security").forEach(s -> issue.addAll(s.propertyNames()));
    assertThat(issue).containsExactly("apiKey");
  }

  @Test
  void openApi_sourceEndpoints_haveExamplesThatFitTheirSchemas() {
    ApiContract contract = ApiContract.of(text);
    for (String endpoint : SOURCE_ENDPOINTS) {
      String[] mp = endpoint.split(" ");
      JsonNode op = doc.get("paths").get(mp[1]).get(mp[0].toLowerCase());
      String status = op.at("/responses/201").isMissingNode() ? "200" : "201";
      JsonNode media = op.at("/responses/" + status + "/content/application~1json");
      assertThat(media.has("example")).as(endpoint + " has an example answer").isTrue();
      assertThat(contract.validate(media.get("schema"), media.get("example")))
          .as(endpoint + " example answer")
          .isEmpty();
      JsonNode body = op.at("/requestBody/content/application~1json");
      if (!body.isMissingNode()) {
        assertThat(body.has("example")).as(endpoint + " has an example request").isTrue();
        assertThat(contract.validate(body.get("schema"), body.get("example")))
            .as(endpoint + " example request")
            .isEmpty();
      }
    }
    assertThat(
            doc.at(
                    "/paths/~1tokens~1issue/post/requestBody/content/application~1json/example/requested_by")
                .asString())
        .isEqualTo("agent-runtime-04");
    assertThat(
            doc.at(
                    "/paths/~1tokens~1issue/post/responses/200/content/application~1json/example/status")
                .asString())
        .isEqualTo("scoped_token_issued");
  }
}
