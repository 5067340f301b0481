package io.secretsapi.server;

import io.secretsapi.ValidationException;

/** A request the HTTP layer refuses before it reaches a feature: bad JSON, bad query. */
final class BadRequestException extends ValidationException {
  private static final long serialVersionUID = 1L;

  BadRequestException(String field, String rule, String message) {
    super(field, rule, message);
  }
}
