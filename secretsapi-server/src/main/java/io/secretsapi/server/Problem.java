package io.secretsapi.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 9457 problem document. {@code type} is a stable URI per condition; {@code field} and
 * {@code rule} name the input at fault when there is one.
 */
record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    Optional<String> field,
    Optional<String> rule,
    Optional<String> requiredScope,
    Map<String, Object> extra) {

  static final String TYPE_BASE = "https://secretsapi.io/problems/";

  Map<String, Object> body(String requestId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("title", title);
    m.put("status", status);
    m.put("detail", detail);
    m.put("instance", instance);
    field.ifPresent(f -> m.put("field", f));
    rule.ifPresent(r -> m.put("rule", r));
    requiredScope.ifPresent(s -> m.put("required_scope", s));
    m.putAll(extra);
    m.put("request_id", requestId);
    return m;
  }
}
