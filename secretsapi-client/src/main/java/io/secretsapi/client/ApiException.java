package io.secretsapi.client;

import tools.jackson.databind.JsonNode;

/** The broker answered with a problem document (RFC 9457). */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient JsonNode problem;

  public ApiException(int status, JsonNode problem) {
    super(status + " " + text(problem, "title") + ": " + text(problem, "detail"));
    this.status = status;
    this.problem = problem;
  }

  private static String text(JsonNode n, String field) {
    return n != null && n.has(field) ? n.get(field).asString() : "";
  }

  public int status() {
    return status;
  }

  /** The problem document: {@code type}, {@code title}, {@code detail}, {@code field}... */
  public JsonNode problem() {
    return problem;
  }
}
