package io.secretsapi.server;

import io.javalin.http.Context;
import io.secretsapi.Required;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Optional;

/** Reads request bodies strictly: JSON only, within the size cap, into one record type. */
final class Bodies {
  private Bodies() {}

  /** The body as {@code type}; a missing or empty body is refused naming {@code body}. */
  static <T> T read(Context ctx, Class<T> type) {
    return read(ctx, type, "");
  }

  /**
   * The body as {@code type}, whose fields the API names under {@code prefix} (such as {@code
   * injection.}, where the same record is also a member of another body).
   */
  static <T> T read(Context ctx, Class<T> type, String prefix) {
    T value =
        readOptional(ctx, type, prefix)
            .orElseThrow(
                () ->
                    new BadRequestException("body", "required", "a JSON request body is required"));
    return value;
  }

  /** The request attribute that holds the API's body limit (the proxy's is larger). */
  static final String LIMIT = "secretsapi.body_limit";

  /** The body's bytes, refused with 413 when larger than {@code limits.max_body_bytes}. */
  static byte[] bytes(Context ctx) {
    Integer limit = ctx.attribute(LIMIT);
    String length = ctx.header("Content-Length");
    if (limit != null
        && length != null
        && length.length() < 19
        && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > limit) {
      discard(ctx);
      throw new io.javalin.http.ContentTooLargeResponse();
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (limit != null && bytes.length > limit) {
      throw new io.javalin.http.ContentTooLargeResponse();
    }
    return bytes;
  }

  /**
   * Reads a refused body to its end without keeping it (Jetty has already capped its size). Closing
   * the connection with the body unread makes the operating system answer the client's next bytes
   * with a reset, which can destroy the 413 before the client reads it: the client then sees a
   * broken connection instead of the problem document.
   */
  private static void discard(Context ctx) {
    try (var in = ctx.req().getInputStream()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (java.io.IOException | RuntimeException e) {
      // the client went away; nothing to answer
    }
  }

  /** The body as {@code type}, or empty when the request has no body. */
  static <T> Optional<T> readOptional(Context ctx, Class<T> type) {
    return readOptional(ctx, type, "");
  }

  private static <T> Optional<T> readOptional(Context ctx, Class<T> type, String prefix) {
    byte[] bytes = bytes(ctx);
    if (bytes.length == 0) {
      return Optional.empty();
    }
    String ct = ctx.contentType();
    if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new BadRequestException(
          "Content-Type",
          "media_type",
          "the request body must be sent as Content-Type: application/json");
    }
    T value = Server.JSON.readValue(bytes, type);
    if (value == null) {
      throw new BadRequestException("body", "type", "the body must be a JSON object");
    }
    requirePresent(value, prefix);
    return Optional.of(value);
  }

  /**
   * Refuses a body that lacks a component marked {@link Required}, in nested records too, naming it
   * as the API does ({@code injection.in}). The same mark lists the field as required in the API
   * description.
   */
  static void requirePresent(Object value, String prefix) {
    if (value == null || !value.getClass().isRecord()) {
      return;
    }
    for (RecordComponent c : value.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.getName(), e);
      }
      String field = prefix + Json.snake(c.getName());
      if (v == null && c.isAnnotationPresent(Required.class)) {
        throw new BadRequestException(field, "required", field + " is required");
      }
      requirePresent(v, field + ".");
    }
  }

  /** An optional query parameter; blank counts as absent. */
  static Optional<String> query(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  /** An optional integer query parameter, refused naming it when it is not a number. */
  static int queryInt(Context ctx, String name, int fallback) {
    Optional<String> v = query(ctx, name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new BadRequestException(name, "integer", name + " must be an integer");
    }
  }
}
