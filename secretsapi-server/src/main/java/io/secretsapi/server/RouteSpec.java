package io.secretsapi.server;

import io.secretsapi.access.Scope;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint as the route table declares it: what the OpenAPI document, the authorization matrix
 * test and the metrics are built from. A route is registered with its answers, so the document
 * cannot lack one (see {@link Route}).
 *
 * @param auth {@code public}, {@code key} (any valid API key; the object's owner is checked
 *     inside), {@code scope} (the key must hold {@link #scope}) or {@code token} (a scoped token,
 *     not a key)
 * @param body the request body type, when the endpoint takes one
 * @param bodyRequired whether a request without a body is refused
 * @param bodyTypes the media types the body may be sent as
 * @param status the success status
 * @param audited false only for the probes (liveness, readiness, metrics), which are counted
 *     instead (design 0019)
 * @param tag the feature the route belongs to, as the document groups it
 * @param params the query parameters and request headers the route reads
 * @param answers the answers besides problem documents, by status
 * @param example a request body and its answer, for the document's examples
 */
record RouteSpec(
    String method,
    String path,
    String auth,
    Optional<Scope> scope,
    String summary,
    Optional<Class<?>> body,
    boolean bodyRequired,
    int status,
    boolean audited,
    String tag,
    List<String> bodyTypes,
    List<Param> params,
    List<Answer> answers,
    Optional<Example> example) {

  /** A query parameter or request header. */
  record Param(
      String name, String in, boolean required, Map<String, Object> schema, String description) {}

  /**
   * An answer other than a problem document: its status and its body's schema by media type (no
   * media type: no body).
   */
  record Answer(int status, String description, Map<String, Map<String, Object>> content) {}

  /** An example request body (or none) and its answer. */
  record Example(Optional<Object> request, Object answer) {}
}
