package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One JSON-RPC message to {@code /mcp}, read and checked before the MCP SDK sees it: a single
 * object with {@code jsonrpc} "2.0", a {@code method} name, an {@code id} that is a string or an
 * integer (or none: a notification), {@code params} an object when present, and for {@code
 * tools/call} a known tool's {@code name} and {@code arguments} an object when present. No member
 * may hold a credential or a stored value (the API's free-text guard), but the arguments that carry
 * a token or a body to forward by design. A message that fails is refused with the JSON-RPC code
 * and a message naming the member and the rule, never repeating what the caller sent.
 *
 * @param method the JSON-RPC method
 * @param id the request's id, absent for a notification
 * @param tool the tool a {@code tools/call} names
 */
record McpEnvelope(String method, Optional<JsonNode> id, Optional<String> tool) {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int INVALID_PARAMS = -32602;
  static final int METHOD_NOT_FOUND = -32601;

  /** The requests the endpoint serves; a notification is any {@code notifications/...} method. */
  static final Set<String> SERVED = Set.of("initialize", "ping", "tools/list", "tools/call");

  /** Method names as the protocol spells them ({@code tools/call}, {@code notifications/...}). */
  private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9_/.-]{0,63}");

  private static final Set<String> MEMBERS = Set.of("jsonrpc", "id", "method", "params");

  /** Arguments of a tool call that carry a token or a body to forward by design. */
  static final Set<String> ARGS_EXEMPT = Set.of("token", "body");

  private static final int MAX_ID = 128;

  McpEnvelope {
    requireNonNull(method, "method");
    requireNonNull(id, "id");
    requireNonNull(tool, "tool");
  }

  boolean notification() {
    return id.isEmpty();
  }

  /**
   * A message refused: its JSON-RPC code, the member and rule at fault, a message naming them, and
   * the request's id when it was read and valid (else the answer's id is null).
   */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String field;
    final String rule;
    final transient JsonNode id;

    Refused(int code, String field, String rule, String message, JsonNode id) {
      super(message, null, false, false);
      this.code = code;
      this.field = field;
      this.rule = rule;
      this.id = id;
    }
  }

  /**
   * Reads {@code body} as one JSON-RPC message to a server offering {@code tools}.
   *
   * @throws Refused naming the member and rule at fault
   */
  static McpEnvelope read(byte[] body, FreeText freeText, Set<String> tools) {
    JsonNode tree;
    try {
      tree = Server.JSON.readTree(body);
    } catch (JacksonException | IllegalArgumentException malformed) {
      throw new Refused(
          PARSE_ERROR,
          "body",
          "json",
          "the body is not one JSON document (or repeats a member's name)",
          null);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new Refused(PARSE_ERROR, "body", "json", "the body is empty", null);
    }
    if (tree.isArray()) {
      throw new Refused(
          INVALID_REQUEST,
          "body",
          "single",
          "the body is a batch (a JSON array), which is not served: send one JSON-RPC object",
          null);
    }
    if (!tree.isObject()) {
      throw new Refused(INVALID_REQUEST, "body", "object", "the body must be a JSON object", null);
    }
    boolean toolCall = "tools/call".equals(text(tree.get("method")));
    Optional<String> secret =
        freeText.offendingField(
            tree,
            path ->
                toolCall
                    && ARGS_EXEMPT.stream().anyMatch(a -> path.equals("params.arguments." + a)));
    if (secret.isPresent()) {
      String f = secret.get();
      boolean inParams = f.startsWith("params");
      throw new Refused(
          inParams ? INVALID_PARAMS : INVALID_REQUEST,
          f,
          "secret_value",
          f
              + " holds a credential or the value of a stored secret: the broker neither keeps nor"
              + " repeats it",
          inParams && validId(tree.get("id")) ? tree.get("id") : null);
    }
    for (Iterator<String> names = tree.propertyNames().iterator(); names.hasNext(); ) {
      if (!MEMBERS.contains(names.next())) {
        throw new Refused(
            INVALID_REQUEST,
            "body",
            "members",
            "the body may hold only the members jsonrpc, id, method and params",
            null);
      }
    }
    JsonNode id = tree.get("id");
    if (id != null) {
      if (!validId(id)) {
        throw new Refused(
            INVALID_REQUEST,
            "id",
            "id",
            "id must be a string of 1 to " + MAX_ID + " characters or an integer",
            null);
      }
    }
    JsonNode version = tree.get("jsonrpc");
    if (version == null || !version.isString() || !version.asString().equals("2.0")) {
      throw new Refused(INVALID_REQUEST, "jsonrpc", "version", "jsonrpc must be \"2.0\"", id);
    }
    String method = text(tree.get("method"));
    if (method == null) {
      throw new Refused(INVALID_REQUEST, "method", "required", "method must be a string", id);
    }
    if (!METHOD.matcher(method).matches()) {
      throw new Refused(
          INVALID_REQUEST,
          "method",
          "name",
          "method must be a method name of 1 to 64 letters, digits and _/.-",
          id);
    }
    if (id == null && !method.startsWith("notifications/")) {
      throw new Refused(
          INVALID_REQUEST,
          "id",
          "required",
          "id is required: only a notifications/... method is sent without one",
          null);
    }
    if (id != null && !SERVED.contains(method)) {
      throw new Refused(
          METHOD_NOT_FOUND,
          "method",
          "served",
          "method is not served here: initialize, ping, tools/list and tools/call are",
          id);
    }
    JsonNode params = tree.get("params");
    if (params != null && !params.isObject()) {
      throw new Refused(INVALID_PARAMS, "params", "object", "params must be an object", id);
    }
    Optional<String> tool = Optional.empty();
    switch (method) {
      case "tools/call" -> tool = Optional.of(toolCall(params, tools, id));
      case "initialize" -> initialize(params, id);
      case "tools/list" -> optional(params, "cursor", JsonNode::isString, "a string", id);
      default -> {}
    }
    return new McpEnvelope(method, Optional.ofNullable(id), tool);
  }

  private static boolean validId(JsonNode id) {
    return id != null
        && ((id.isString() && !id.asString().isEmpty() && id.asString().length() <= MAX_ID)
            || (id.isIntegralNumber() && id.canConvertToLong()));
  }

  /**
   * The HTTP status a refusal is answered with: a method not served or bad params of a request
   * whose id was read come with 200, as the SDK answers a JSON-RPC error; a message that is not a
   * valid request, with 400.
   */
  static int status(Refused r) {
    return r.id != null && (r.code == INVALID_PARAMS || r.code == METHOD_NOT_FOUND) ? 200 : 400;
  }

  private static String toolCall(JsonNode params, Set<String> tools, JsonNode id) {
    if (params == null) {
      throw new Refused(
          INVALID_PARAMS, "params", "required", "params is required for tools/call", id);
    }
    String name = text(params.get("name"));
    if (name == null) {
      throw new Refused(
          INVALID_PARAMS, "params.name", "required", "params.name must be a tool's name", id);
    }
    if (!tools.contains(name)) {
      throw new Refused(
          INVALID_PARAMS,
          "params.name",
          "tool",
          "params.name names no tool of this endpoint (tools/list lists them)",
          id);
    }
    optional(params, "arguments", JsonNode::isObject, "an object", id);
    return name;
  }

  private static void initialize(JsonNode params, JsonNode id) {
    if (params == null) {
      throw new Refused(
          INVALID_PARAMS, "params", "required", "params is required for initialize", id);
    }
    if (text(params.get("protocolVersion")) == null) {
      throw new Refused(
          INVALID_PARAMS,
          "params.protocolVersion",
          "required",
          "params.protocolVersion must be a string",
          id);
    }
    optional(params, "capabilities", JsonNode::isObject, "an object", id);
    JsonNode info = params.get("clientInfo");
    if (info == null || !info.isObject() || text(info.get("name")) == null) {
      throw new Refused(
          INVALID_PARAMS,
          "params.clientInfo",
          "required",
          "params.clientInfo must be an object with a string name",
          id);
    }
  }

  private static void optional(
      JsonNode params,
      String member,
      java.util.function.Predicate<JsonNode> valid,
      String what,
      JsonNode id) {
    JsonNode v = params == null ? null : params.get(member);
    if (v != null && !v.isNull() && !valid.test(v)) {
      throw new Refused(
          INVALID_PARAMS, "params." + member, "type", "params." + member + " must be " + what, id);
    }
  }

  private static String text(JsonNode n) {
    return n != null && n.isString() ? n.asString() : null;
  }

  /** The text of a refusal: what is wrong, then the member and the rule. */
  static String message(Refused r) {
    return r.getMessage() + " (" + r.field + ": " + r.rule + ")";
  }

  /** The JSON-RPC error answering {@code r}, with the request id and the record's reference. */
  static Map<String, Object> error(Refused r, String requestId, String auditRef) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("field", r.field);
    data.put("rule", r.rule);
    data.put("request_id", requestId);
    if (auditRef != null) {
      data.put("audit_ref", auditRef);
    }
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("code", r.code);
    error.put("message", message(r));
    error.put("data", data);
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("jsonrpc", "2.0");
    m.put("id", r.id);
    m.put("error", error);
    return m;
  }
}
