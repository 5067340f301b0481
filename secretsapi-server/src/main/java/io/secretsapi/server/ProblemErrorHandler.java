package io.secretsapi.server;

import io.secretsapi.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as problem documents: a request Jetty refuses before any route runs (a target
 * that is not a valid or unambiguous URI, such as a {@code %u} or {@code %00} escape, an encoded
 * slash or a dot segment; a line or header too long; a body it cannot read) gets {@code
 * application/problem+json} with a stable type, as every other error does, never Jetty's HTML.
 * Installed on the server and on the servlet context. The detail is fixed per status: Jetty's own
 * message may quote the request, which no error detail echoes.
 */
final class ProblemErrorHandler extends ErrorHandler {

  /** Every method gets its problem document, not only GET, POST and HEAD as Jetty's default. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String requestId = Ids.random("req_", 16);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(new HttpField("X-Content-Type-Options", "nosniff"));
    response.getHeaders().put(new HttpField(RequestIds.HEADER, requestId));
    response.write(true, ByteBuffer.wrap(body(code, "/", requestId)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    return ByteBuffer.wrap(body(status, "/", Ids.random("req_", 16)));
  }

  /**
   * The problem document for {@code status}. Its {@code instance} is {@code /}: the request's path
   * is caller text, and a request refused here matched no route whose template could stand in.
   */
  static byte[] body(int status, String instance, String requestId) {
    Problem p =
        switch (status) {
          case 400 ->
              Problems.problem(
                  "malformed-request",
                  "Malformed request",
                  400,
                  "the request cannot be read: its target must be a plain absolute path with"
                      + " well-formed %XX escapes (no %u or %00 escape, encoded slash, backslash"
                      + " or dot segment, or character outside the URI syntax), and its headers"
                      + " and body well-formed HTTP",
                  instance,
                  "target",
                  "uri",
                  null);
          case 404 ->
              Problems.problem(
                  "not-found",
                  "Not found",
                  404,
                  "no route for this request",
                  instance,
                  null,
                  null,
                  null);
          case 405 ->
              Problems.problem(
                  "method-not-allowed",
                  "Method not allowed",
                  405,
                  "the method is not allowed here",
                  instance,
                  null,
                  null,
                  null);
          case 413 ->
              Problems.problem(
                  "body-too-large",
                  "Payload too large",
                  413,
                  "the request body exceeds the limit",
                  instance,
                  "body",
                  "max_size",
                  null);
          case 414 ->
              Problems.problem(
                  "uri-too-long",
                  "URI too long",
                  414,
                  "the request target is longer than the server reads",
                  instance,
                  "target",
                  "max_length",
                  null);
          case 431 ->
              Problems.problem(
                  "headers-too-large",
                  "Request headers too large",
                  431,
                  "the request headers are larger than the server reads",
                  instance,
                  "headers",
                  "max_size",
                  null);
          case 505 ->
              Problems.problem(
                  "http-version-not-supported",
                  "HTTP version not supported",
                  505,
                  "the request line names an HTTP version the broker does not speak: use HTTP/1.1",
                  instance,
                  "version",
                  "http_version",
                  null);
          default ->
              status >= 500
                  ? Problems.problem(
                      "internal",
                      "Internal error",
                      status,
                      "the broker failed to handle the request; see its log for request id "
                          + requestId,
                      instance,
                      null,
                      null,
                      null)
                  : Problems.problem(
                      "http-" + status,
                      "Refused",
                      status,
                      "the request was refused by the HTTP layer",
                      instance,
                      null,
                      null,
                      null);
        };
    return Server.JSON.writeValueAsString(p.body(requestId)).getBytes(StandardCharsets.UTF_8);
  }
}
