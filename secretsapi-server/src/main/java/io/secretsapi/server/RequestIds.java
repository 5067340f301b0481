package io.secretsapi.server;

import io.javalin.http.Context;
import io.secretsapi.Ids;
import java.util.regex.Pattern;

/**
 * The request id: taken from {@code X-Request-Id} when it is short and plain ({@code
 * [A-Za-z0-9._:-]}, at most 64) and holds no credential, stored secret value or API key secret,
 * made otherwise; echoed in the answer, written in the access log, every audit record and every
 * problem document.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "secretsapi.request_id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  static void assign(Context ctx) {
    String given = ctx.header(HEADER);
    String id =
        given != null
                && SAFE.matcher(given).matches()
                && !io.secretsapi.audit.Redactor.looksLikeCredential(given)
                && FreeText.of(ctx).map(g -> !g.holdsSecret(given)).orElse(false)
            ? given
            : Ids.random("req_", 16);
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "none" : id;
  }
}
