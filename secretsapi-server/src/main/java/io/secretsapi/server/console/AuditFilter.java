package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.ValidationException;
import io.secretsapi.audit.AuditTrail;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit replay's filters as the page's form sends them, with the names of {@code GET
 * /audit/trail}: {@code secret_id}, {@code token_id}, {@code principal}, {@code type}, the offsets
 * {@code from} and {@code to} (inclusive), {@code limit}, and {@code cursor} (the {@code
 * next_cursor} of the page before). Empty text means any.
 */
record AuditFilter(
    String secretId,
    String tokenId,
    String principal,
    String type,
    String from,
    String to,
    int limit,
    String cursor) {
  static final int PAGE = 50;
  static final AuditFilter NONE = new AuditFilter("", "", "", "", "", "", PAGE, "");

  static AuditFilter of(Context ctx) {
    AuditFilter f =
        new AuditFilter(
            QueryParams.text(ctx, "secret_id"),
            QueryParams.text(ctx, "token_id"),
            QueryParams.text(ctx, "principal"),
            QueryParams.text(ctx, "type"),
            QueryParams.text(ctx, "from"),
            QueryParams.text(ctx, "to"),
            QueryParams.limit(ctx, PAGE),
            QueryParams.cursor(ctx));
    f.fromOffset();
    f.toOffset();
    return f;
  }

  /** The trail's own filter, as {@code GET /audit/trail} builds it. */
  AuditTrail.Filter toTrailFilter() {
    AuditTrail.Filter f =
        new AuditTrail.Filter(
            opt(secretId),
            opt(tokenId),
            opt(principal),
            opt(type),
            fromOffset(),
            toOffset(),
            limit);
    return cursor.isEmpty() ? f : f.after(cursor);
  }

  Optional<Long> fromOffset() {
    return offset("from", from);
  }

  Optional<Long> toOffset() {
    return offset("to", to);
  }

  /** The filters and the cursor as a query string (without {@code ?}): this very page. */
  String query() {
    Map<String, String> m = params();
    m.put("cursor", cursor);
    return PageLinks.query(m);
  }

  /** The filters without the cursor, for the links to the next and the first page. */
  Map<String, String> params() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("secret_id", secretId);
    m.put("token_id", tokenId);
    m.put("principal", principal);
    m.put("type", type);
    m.put("from", from);
    m.put("to", to);
    m.put("limit", Integer.toString(limit));
    return m;
  }

  private static Optional<Long> offset(String name, String v) {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      // the API's words for the same mistake
      throw new ValidationException(name, "offset", name + " must be an offset of 1 or more");
    }
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
