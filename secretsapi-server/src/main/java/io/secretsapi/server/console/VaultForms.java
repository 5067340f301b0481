package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.Durations;
import io.secretsapi.access.Caller;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.token.NewScope;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The vault's forms, each calling the service its API route calls, with the session's caller. The
 * fields have the API's names ({@code resource_class}, {@code max_ttl}...), so that a refusal names
 * the same field either way. A typed value goes straight to the vault and is never shown.
 */
final class VaultForms {
  private VaultForms() {}

  static void create(Console c, Context ctx, Session s) {
    Caller caller = s.caller();
    NewSecret in =
        new NewSecret(
            field(ctx, "name"),
            field(ctx, "provider"),
            field(ctx, "resource_class"),
            field(ctx, "environment"),
            blankless(ctx, "owner"),
            list(ctx, "tags"),
            value(ctx),
            blankless(ctx, "kind"));
    Secret made = c.core().vault().create(caller, in);
    VaultScreen.done(ctx, "created", made.id());
  }

  static void rotate(Console c, Context ctx, Session s) {
    String id = ctx.pathParam("id");
    Optional<String> value = Optional.ofNullable(value(ctx));
    Optional<Duration> grace =
        Optional.ofNullable(blankless(ctx, "grace")).map(g -> Durations.parse("grace", g));
    c.core().vault().rotate(s.caller(), id, value, grace);
    VaultScreen.done(ctx, "rotated", id);
  }

  static void seal(Console c, Context ctx, Session s) {
    String id = ctx.pathParam("id");
    c.core().vault().delete(s.caller(), id);
    VaultScreen.done(ctx, "sealed", id);
  }

  static void defineScope(Console c, Context ctx, Session s) {
    String id = ctx.pathParam("id");
    List<String> hosts = list(ctx, "hosts");
    List<String> methods = list(ctx, "methods");
    List<String> prefixes = list(ctx, "path_prefixes");
    NewScope.UpstreamSpec upstream =
        hosts == null && methods == null && prefixes == null
            ? null
            : new NewScope.UpstreamSpec(hosts, methods, prefixes);
    String uses = blankless(ctx, "max_uses");
    NewScope in =
        new NewScope(
            field(ctx, "name"),
            ctx.formParams("operations"),
            upstream,
            blankless(ctx, "max_ttl"),
            uses == null ? null : maxUses(uses),
            blankless(ctx, "max_amount"),
            blankless(ctx, "amount_field"));
    c.core().scopes().define(s.caller(), id, in);
    VaultScreen.done(ctx, "scoped", id);
  }

  private static Long maxUses(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new io.secretsapi.ValidationException(
          "max_uses", "integer", "max_uses must be a whole number");
    }
  }

  /** A field as typed (the service checks it and names it when it is missing or wrong). */
  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? null : v.trim();
  }

  /** A field, or null when left blank: the service's default applies. */
  private static String blankless(Context ctx, String name) {
    String v = field(ctx, name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The typed value exactly as typed (a value is never trimmed); null when left empty. */
  private static String value(Context ctx) {
    String v = ctx.formParam("value");
    return v == null || v.isEmpty() ? null : v;
  }

  /** A comma-separated field as a list; null when left blank. */
  private static List<String> list(Context ctx, String name) {
    String v = blankless(ctx, name);
    if (v == null) {
      return null;
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
  }
}
