package io.secretsapi.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the broker cut a proxied stream, and the last event it sends: in the shape the secret's
 * provider uses for an error in a stream, so that the provider's own SDK raises it instead of
 * ending the loop quietly or handing the agent a chunk it cannot read.
 *
 * <ul>
 *   <li>{@code openai}: {@code data: {"error":{"message","type","code","param","audit_ref"}}}, the
 *       line the OpenAI SDKs turn into an {@code APIError};
 *   <li>{@code anthropic}: {@code event: error} with {@code {"type":"error","error":{"type",
 *       "message","audit_ref"}}}, as Anthropic streams an overloaded or failed message;
 *   <li>any other provider: {@code event: error} with the broker's problem document, which also
 *       holds that {@code error} object, so an OpenAI-compatible SDK raises on it too.
 * </ul>
 *
 * <p>An answer that is not an event stream ends with a new line and the problem document. The
 * message and code are the broker's own words, never an exception's text, so nothing the caller or
 * the upstream sent comes back in them.
 *
 * @param code {@code token_revoked}, {@code token_expired}, {@code upstream_failed}, {@code
 *     upstream_timeout} or {@code broker_stopping}
 * @param why what the audit record and the message say, in the broker's words
 */
record StreamCut(String code, String why) {

  static StreamCut tokenGone(String verifierMessage) {
    return verifierMessage != null && verifierMessage.startsWith("the token expired")
        ? new StreamCut("token_expired", "the scoped token expired")
        : new StreamCut("token_revoked", "the scoped token was revoked");
  }

  static StreamCut upstreamFailed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException) {
        return new StreamCut("upstream_timeout", "the call exceeded proxy.timeout");
      }
    }
    return new StreamCut("upstream_failed", "the upstream stream failed");
  }

  static StreamCut stopping() {
    return new StreamCut("broker_stopping", "the broker is stopping");
  }

  private boolean tokenCut() {
    return code.startsWith("token_");
  }

  /** The text the caller reads: why, and where the record of it is. */
  String message(String auditRef) {
    return "the broker cut the stream: " + why + " (audit ref " + auditRef + ")";
  }

  /** The last bytes of the answer: the provider's error event, or the problem document. */
  byte[] event(String provider, boolean eventStream, String auditRef) {
    String json;
    String frame;
    if (eventStream && provider.equals("openai")) {
      json = Server.JSON.writeValueAsString(Map.of("error", openAiError(auditRef)));
      frame = "data: " + json + "\n\n";
    } else if (eventStream && provider.equals("anthropic")) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", tokenCut() ? "authentication_error" : "api_error");
      error.put("message", message(auditRef));
      error.put("audit_ref", auditRef);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", "error");
      body.put("error", error);
      json = Server.JSON.writeValueAsString(body);
      frame = "event: error\ndata: " + json + "\n\n";
    } else {
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("type", Problem.TYPE_BASE + "proxy-cut");
      problem.put("title", "Stream cut by the broker");
      problem.put("detail", message(auditRef));
      problem.put("code", code);
      problem.put("audit_ref", auditRef);
      problem.put("error", openAiError(auditRef));
      json = Server.JSON.writeValueAsString(problem);
      frame = eventStream ? "event: error\ndata: " + json + "\n\n" : "\n" + json + "\n";
    }
    return frame.getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, Object> openAiError(String auditRef) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message(auditRef));
    error.put("type", tokenCut() ? "authentication_error" : "server_error");
    error.put("code", code);
    error.put("param", null);
    error.put("audit_ref", auditRef);
    return error;
  }
}
