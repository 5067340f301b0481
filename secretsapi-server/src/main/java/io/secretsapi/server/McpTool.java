package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.secretsapi.access.Scope;
import io.secretsapi.token.Operation;
import java.util.Map;

/**
 * One tool of the MCP endpoint: its name, what it tells the model, its input schema, what a caller
 * needs for it to be offered, and its body, which calls the same core service as the HTTP route
 * with the same caller. A tool is listed only to a caller that {@link #offeredTo} it, and a call of
 * a tool not offered is refused before its body runs ({@link McpEndpoint}).
 *
 * <p>New tools are added to {@link McpTools#all} with their need; the endpoint, its filtering,
 * refusals and audit need no change.
 */
record McpTool(
    String name, String description, Map<String, Object> inputSchema, Need need, Body body) {
  McpTool {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    inputSchema = Map.copyOf(inputSchema);
    requireNonNull(need, "need");
    requireNonNull(body, "body");
  }

  /** The work of a tool: the structured result, or an exception the problem mapping names. */
  @FunctionalInterface
  interface Body {
    Map<String, Object> call(McpCaller caller, McpArgs args) throws Exception;
  }

  /** What a caller must hold for the tool to be offered. */
  sealed interface Need permits KeyScope, TokenOperation {}

  /** An API key holding {@code scope}: the scope of the HTTP route the tool stands for. */
  record KeyScope(Scope scope) implements Need {}

  /**
   * A scoped token allowing {@code operation}: a caller authenticated by such a token, or any API
   * key caller, which names the token in the call's arguments (as the HTTP route takes it in its
   * body).
   */
  record TokenOperation(Operation operation) implements Need {}

  static McpTool needing(
      Scope scope, String name, String description, Map<String, Object> schema, Body body) {
    return new McpTool(name, description, schema, new KeyScope(scope), body);
  }

  static McpTool withToken(
      Operation op, String name, String description, Map<String, Object> schema, Body body) {
    return new McpTool(name, description, schema, new TokenOperation(op), body);
  }

  /** True when the tool is listed to {@code caller} and may be called by it. */
  boolean offeredTo(McpCaller caller) {
    if (need instanceof KeyScope k) {
      return caller.key().map(c -> c.has(k.scope())).orElse(false);
    }
    Operation op = ((TokenOperation) need).operation();
    return caller.key().isPresent()
        || caller.verified().map(v -> v.operations().contains(op)).orElse(false);
  }

  /** Why the tool is not offered to a caller it is not offered to: a fact with no secret. */
  String refusal(McpCaller caller) {
    if (need instanceof KeyScope k) {
      return "the tool "
          + name
          + " needs an API key holding "
          + k.scope().wire()
          + (caller.key().isPresent() ? "" : ", not a token");
    }
    return "the tool "
        + name
        + " needs a token whose scope allows "
        + ((TokenOperation) need).operation().wire();
  }

  /** The scope a refused key lacks, when the tool needs one. */
  java.util.Optional<Scope> scope() {
    return need instanceof KeyScope k
        ? java.util.Optional.of(k.scope())
        : java.util.Optional.empty();
  }
}
