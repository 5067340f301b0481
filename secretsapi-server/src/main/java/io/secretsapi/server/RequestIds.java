package io.secretsapi.server;

import io.javalin.http.Context;
import io.secretsapi.Ids;
import java.util.regex.Pattern;

/**
 * The request id. A caller's {@code X-Request-Id} is taken when it has a narrow form: at most 40 of
 * {@code [A-Za-z0-9._:-]} (a UUID, a ULID, a trace id) and no credential's shape, so an API key or
 * its 43-character secret part never qualifies; otherwise the broker makes one. That id is echoed
 * in the answer's header and problem documents: the caller's own text, or ours, by a public rule,
 * so the echo says nothing about what the broker stores.
 *
 * <p>What the broker keeps (the access log, every audit record) is that id too, unless it is a
 * stored secret's value or an API key's secret part, which a narrow form cannot rule out; then the
 * records get an id of the broker's own. The answer says so ({@link #confirm}) only once the caller
 * has proved who it is: a caller without credentials gets back the id it sent, whatever it is, so
 * that the answer tells it nothing about what the broker stores.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "secretsapi.request_id";
  private static final String ECHO = "secretsapi.request_id.echo";
  private static final Pattern NARROW = Pattern.compile("[A-Za-z0-9._:-]{1,40}");

  private RequestIds() {}

  static void assign(Context ctx) {
    String given = ctx.header(HEADER);
    boolean narrow =
        given != null
            && NARROW.matcher(given).matches()
            && !io.secretsapi.audit.Redactor.looksLikeCredential(given);
    String echo = narrow ? given : Ids.random("req_", 16);
    // an id of the broker's own needs no look-up
    boolean secret = narrow && FreeText.of(ctx).map(g -> g.holdsSecret(given)).orElse(true);
    String kept = secret ? Ids.random("req_", 16) : echo;
    ctx.attribute(ECHO, echo);
    ctx.attribute(ATTRIBUTE, kept);
    ctx.header(HEADER, echo);
  }

  /**
   * For an authenticated caller: the answer carries the id the broker kept, so that an id that is a
   * stored value or a key's secret part is not repeated to it.
   */
  static void confirm(Context ctx) {
    String kept = of(ctx);
    if (!kept.equals(ctx.attribute(ECHO))) {
      ctx.attribute(ECHO, kept);
      ctx.header(HEADER, kept);
    }
  }

  /** True when the answer would still carry an id other than the one kept. */
  static boolean unconfirmed(Context ctx) {
    return !of(ctx).equals(ctx.attribute(ECHO));
  }

  /** The id the broker keeps in its log and records. */
  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "none" : id;
  }

  /** The id the answer carries: the caller's, when it had the narrow form. */
  static String echoed(Context ctx) {
    String id = ctx.attribute(ECHO);
    return id == null ? of(ctx) : id;
  }
}
