package io.secretsapi.server;

import io.javalin.http.Handler;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route being declared: its body, parameters and answers, then its handler. A route must declare
 * what it answers ({@link #answers}, {@link #noContent} or {@link #answersWith}) before {@link
 * #handle} or {@link #serve}: registering one without fails at startup, naming the route.
 */
final class Route {
  private final Api api;
  private final String method;
  private final String path;
  private final String auth;
  private final Optional<Scope> scope;
  private final String summary;
  private Optional<Class<?>> body = Optional.empty();
  private boolean bodyRequired;
  private List<String> bodyTypes = List.of("application/json");
  private int status = 200;
  private boolean streaming;
  private boolean audited = true;
  private final List<RouteSpec.Param> params = new ArrayList<>();
  private final List<RouteSpec.Answer> answers = new ArrayList<>();
  private Optional<RouteSpec.Example> example = Optional.empty();

  Route(Api api, String method, String path, String auth, Optional<Scope> scope, String summary) {
    this.api = api;
    this.method = method;
    this.path = path;
    this.auth = auth;
    this.scope = scope;
    this.summary = summary;
  }

  /** The request body's record type; its {@link io.secretsapi.Required} fields are required. */
  Route body(Class<?> type) {
    this.body = Optional.of(type);
    this.bodyRequired = true;
    return this;
  }

  /** A body the request may leave out (the handler reads it with {@code readOptional}). */
  Route optionalBody(Class<?> type) {
    this.body = Optional.of(type);
    this.bodyRequired = false;
    return this;
  }

  /** The media types the body may be sent as; {@code application/json} unless said. */
  Route bodyTypes(String... mediaTypes) {
    this.bodyTypes = List.of(mediaTypes);
    return this;
  }

  /** The success status, 200 unless said; set it before {@link #answers}. */
  Route status(int code) {
    this.status = code;
    return this;
  }

  /** The route answers without the store and leaves no audit record (liveness). */
  Route notAudited() {
    this.audited = false;
    return this;
  }

  /** The endpoint streams its answer: its record is made before the first byte. */
  Route streaming() {
    this.streaming = true;
    return this;
  }

  /** An optional query parameter the handler reads. */
  Route query(String name, Map<String, Object> schema, String description) {
    params.add(new RouteSpec.Param(name, "query", false, schema, description));
    return this;
  }

  /** A query parameter the request must carry. */
  Route requiredQuery(String name, Map<String, Object> schema, String description) {
    params.add(new RouteSpec.Param(name, "query", true, schema, description));
    return this;
  }

  /** An optional request header the handler reads. */
  Route header(String name, String description) {
    params.add(new RouteSpec.Param(name, "header", false, JsonSchema.string(), description));
    return this;
  }

  /** The success answer: {@code application/json} of {@code schema}, at {@link #status}. */
  Route answers(Map<String, Object> schema) {
    return answersWith(status, "application/json", schema);
  }

  Route answers(JsonSchema.Obj schema) {
    return answers(schema.build());
  }

  /** An answer at {@code code} in {@code mediaType}; a media type given twice adds a choice. */
  Route answersWith(int code, String mediaType, Map<String, Object> schema) {
    for (int i = 0; i < answers.size(); i++) {
      RouteSpec.Answer a = answers.get(i);
      if (a.status() == code) {
        Map<String, Map<String, Object>> content = new java.util.LinkedHashMap<>(a.content());
        content.put(mediaType, schema);
        answers.set(i, new RouteSpec.Answer(code, a.description(), content));
        return this;
      }
    }
    answers.add(
        new RouteSpec.Answer(
            code,
            code < 300 ? "success" : "answered with the same shape",
            Map.of(mediaType, schema)));
    return this;
  }

  /** The success answer has no body. */
  Route noContent() {
    answers.add(new RouteSpec.Answer(status, "no content", Map.of()));
    return this;
  }

  /** An example request body (null: none) and its answer, shown in the document. */
  Route example(Object request, Object answer) {
    this.example = Optional.of(new RouteSpec.Example(Optional.ofNullable(request), answer));
    return this;
  }

  private RouteSpec spec() {
    if (answers.isEmpty()) {
      throw new IllegalStateException(
          "route "
              + method
              + " "
              + path
              + " declares no answer: add .answers(schema) (or .noContent(), .answersWith(status,"
              + " mediaType, schema)) before its handler; see docs/design/0020-openapi-from-the-route-table.md");
    }
    RouteSpec spec =
        new RouteSpec(
            method,
            path,
            auth,
            scope,
            summary,
            body,
            bodyRequired,
            status,
            audited,
            api.tag(),
            bodyTypes,
            List.copyOf(params),
            List.copyOf(answers),
            example);
    api.add(spec);
    return spec;
  }

  /** Registers a route that needs no API key: public, token or liveness. */
  void serve(Handler handler) {
    if (auth.equals("scope") || auth.equals("key")) {
      throw new IllegalStateException(method + " " + path + " needs a key: use handle");
    }
    RouteSpec spec = spec();
    if (auth.equals("token")) {
      api.registerToken(spec, handler);
    } else if (!spec.audited()) {
      api.register(method, path, handler);
    } else {
      api.register(method, path, api.audited(spec, handler));
    }
  }

  void handle(Api.CallerHandler handler) {
    if (!auth.equals("scope") && !auth.equals("key")) {
      throw new IllegalStateException(method + " " + path + " takes no key: use serve");
    }
    RouteSpec spec = spec();
    Optional<Scope> needed = scope;
    boolean stream = streaming;
    api.register(
        method,
        path,
        api.audited(
            spec,
            ctx -> {
              Caller caller = api.authenticate(ctx);
              RequestIds.confirm(ctx);
              needed.ifPresent(caller::require);
              FreeText.of(ctx).ifPresent(g -> g.check(ctx));
              if (stream) {
                api.record(ctx, spec, "allow", 200, "stream opened");
              }
              handler.handle(ctx, caller);
            }));
  }
}
