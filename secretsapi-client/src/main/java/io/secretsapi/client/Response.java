package io.secretsapi.client;

import java.net.http.HttpHeaders;

/** A raw answer: status, headers and body text, for callers that check them directly. */
public record Response(int status, HttpHeaders headers, String body) {
  /** The Content-Type, or an empty string. */
  public String contentType() {
    return headers.firstValue("Content-Type").orElse("");
  }
}
