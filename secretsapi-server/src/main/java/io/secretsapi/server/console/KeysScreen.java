package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.ApiKey;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.access.ServiceAccount;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * API keys and service accounts (screen 6) at {@code /console/keys}: the listings of {@code GET
 * /service-accounts} and {@code GET /api-keys}, and forms that do what {@code POST /api-keys},
 * {@code POST /api-keys/{id}/rotate}, {@code POST /api-keys/{id}/revoke}, {@code POST
 * /service-accounts} and {@code POST /service-accounts/{id}/revoke} do, through {@link
 * AccessService} with the session's caller. A new key's secret is shown once, on the page the form
 * redirects to ({@link Reveals}); the URL carries only the key id.
 */
final class KeysScreen {
  static final String PATH = "/console/keys";

  /** The scope the source document's first key starts with, in this broker's terms. */
  static final String RECOMMENDED = Scope.TOKENS_ISSUE.wire();

  private KeysScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    Reveals reveals = new Reveals();
    KeysForms forms = new KeysForms(c, reveals);
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, reveals, ctx, s, Optional.of(r));
    http.page(PATH, "GET /api-keys", (ctx, s) -> show(c, reveals, ctx, s, Optional.empty()), again);
    http.action(PATH, "POST /api-keys", forms::create, again);
    http.action(PATH + "/{id}/rotate", "POST /api-keys/{id}/rotate", forms::rotate, again);
    http.action(PATH + "/{id}/revoke", "POST /api-keys/{id}/revoke", forms::revoke, again);
    http.action(PATH + "/accounts", "POST /service-accounts", forms::createAccount, again);
    http.action(
        PATH + "/accounts/{id}/revoke",
        "POST /service-accounts/{id}/revoke",
        forms::revokeAccount,
        again);
  }

  static void show(Console c, Reveals reveals, Context ctx, Session s, Optional<Refusal> refusal) {
    show(c, ctx, s, refusal, reveal(c, reveals, ctx, s));
  }

  static void show(
      Console c, Context ctx, Session s, Optional<Refusal> refusal, Optional<KeysPage.Reveal> r) {
    Caller caller = s.caller();
    AccessService access = c.core().access();
    Frame frame = c.frame(s, "API keys and service accounts", "keys");
    List<ServiceAccount> accounts = access.listServiceAccounts(caller);
    List<ApiKey> keys = access.listKeys(caller, Optional.empty());
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else if (r.isEmpty()) {
      frame = notice(ctx, keys).map(frame::withNotice).orElse(frame);
    }
    Instant now = c.clock().instant();
    Map<String, ServiceAccount> byId =
        accounts.stream().collect(Collectors.toMap(ServiceAccount::id, Function.identity()));
    Map<String, Long> active =
        keys.stream()
            .filter(ApiKey::isActive)
            .collect(Collectors.groupingBy(ApiKey::serviceAccountId, Collectors.counting()));
    boolean admin = caller.has(Scope.KEYS_ADMIN);
    KeysPage page =
        new KeysPage(
            frame,
            accounts.stream().map(a -> account(a, caller, admin, active, now)).toList(),
            keys.stream().map(k -> row(k, caller, byId, now)).toList(),
            r,
            grantable(caller),
            admin,
            caller.serviceAccountId(),
            RECOMMENDED);
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "keys.jte", page);
  }

  /** The key this session just made, when the URL names it and it is still held: once. */
  private static Optional<KeysPage.Reveal> reveal(
      Console c, Reveals reveals, Context ctx, Session s) {
    String id = ctx.queryParam("created");
    if (id == null || !id.startsWith("sk_")) {
      return Optional.empty();
    }
    Optional<String> plaintext = reveals.take(s.csrf(), id, c.clock().instant());
    if (plaintext.isEmpty()) {
      return Optional.empty();
    }
    ApiKey k = c.core().access().getKey(s.caller(), id);
    Optional<String> from = k.replaces();
    boolean oldRevoked =
        from.map(old -> !c.core().access().getKey(s.caller(), old).isActive()).orElse(false);
    return Optional.of(
        new KeysPage.Reveal(
            k.id(), k.name(), plaintext.get(), wires(k.scopes()), from, oldRevoked, false));
  }

  /** After a reload: what the URL names, masked (the secret is never shown again). */
  private static Optional<String> notice(Context ctx, List<ApiKey> keys) {
    for (String what : List.of("created", "revoked")) {
      String id = ctx.queryParam(what);
      if (id == null) {
        continue;
      }
      for (ApiKey k : keys) {
        if (k.id().equals(id)) {
          return Optional.of(what + " " + masked(k.id()) + " · " + k.name() + " · " + k.status());
        }
      }
    }
    String account = ctx.queryParam("account");
    if (account != null && account.startsWith("sak_")) {
      return Optional.of("service account " + account + " saved");
    }
    return Optional.empty();
  }

  /** A key as the console names it after its one reveal: its public id, the secret part hidden. */
  static String masked(String keyId) {
    return keyId + "_••••";
  }

  private static KeysPage.Account account(
      ServiceAccount a, Caller caller, boolean admin, Map<String, Long> active, Instant now) {
    return new KeysPage.Account(
        a.id(),
        a.name(),
        a.description() == null ? "" : a.description(),
        a.status(),
        Times.utc(a.createdAt(), now),
        Times.iso(a.createdAt()),
        active.getOrDefault(a.id(), 0L),
        admin && a.revokedAt().isEmpty() && !a.id().equals(caller.serviceAccountId()));
  }

  private static KeysPage.KeyRow row(
      ApiKey k, Caller caller, Map<String, ServiceAccount> accounts, Instant now) {
    String status = semantics(k.status());
    boolean active = status.equals("active");
    String grace =
        active && k.replacedBy().isPresent()
            ? k.expiresAt().map(e -> Times.utc(e, now)).orElse("")
            : "";
    return new KeysPage.KeyRow(
        k.id(),
        k.name(),
        k.serviceAccountId(),
        Optional.ofNullable(accounts.get(k.serviceAccountId()))
            .map(ServiceAccount::name)
            .orElse(""),
        wires(k.scopes()),
        status,
        Times.utc(k.createdAt(), now),
        Times.iso(k.createdAt()),
        k.expiresAt().map(e -> Times.utc(e, now)).orElse("never"),
        Times.ago(k.lastUsedAt(), now),
        k.lastUsedAt().map(Times::iso).orElse(""),
        k.useCount(),
        k.replaces().orElse(""),
        k.replacedBy().orElse(""),
        grace,
        active && grantable(caller).containsAll(wires(k.scopes())),
        active);
  }

  /**
   * The document's status semantics: {@code active} may back traffic, {@code revoked} is history,
   * and any other state needs a manual review before use.
   */
  static String semantics(String status) {
    return status.equals("active") || status.equals("revoked") ? status : "needs review";
  }

  /** The scopes {@code caller} may give a key: those it holds ({@code admin} only to an admin). */
  static List<String> grantable(Caller caller) {
    return Arrays.stream(Scope.values())
        .filter(x -> caller.has(x) && (x != Scope.ADMIN || caller.scopes().contains(Scope.ADMIN)))
        .map(Scope::wire)
        .toList();
  }

  static List<String> wires(java.util.Set<Scope> scopes) {
    return scopes.stream().map(Scope::wire).toList();
  }
}
