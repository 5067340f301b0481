package io.secretsapi.token;

import io.secretsapi.Page;
import io.secretsapi.PageCursor;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Keyset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The token inventory, a keyset page at a time (design 0023): newest first, {@code issued_at}
 * descending then {@code id}, after the cursor's row. Each page is read by the index of one driving
 * filter, chosen by the filters present in this order: secret, principal (subject or actor: two
 * branches), the caller's account (its tokens, or tokens of its secrets: two branches), status,
 * none ({@code tokens_issued}); the other filters test the rows that index yields.
 *
 * <p>Two filters are turned into ranges on {@code issued_at}, which every token index holds right
 * after its driving column: {@code expiring_before} (a token issued at or after a time expires
 * after it) and {@code status=active} (a token expires at most {@link ScopeService#MAX_TTL} after
 * it was issued, so an active one was issued within that window). Without them the last page of
 * such a listing would read every older token to find there is none.
 */
final class TokenListing {
  static final String NAME = "tokens";
  private static final String ORDER = "issued_at DESC, id";

  private TokenListing() {}

  static Page<Grant> page(
      Handle h, TokenFilter f, Optional<String> account, Instant now, Dialect dialect) {
    Optional<PageCursor> after =
        f.cursor().map(c -> PageCursor.decode(c, NAME, f.fingerprint(), 2));
    Query q = Keyset.query(h, sql(f, account, after.isPresent(), dialect));
    bind(q, f, account, now);
    after.ifPresent(c -> q.bind("cia", c.longKey(0)).bind("cid", c.key(1)));
    List<Grant> rows = q.map((rs, c) -> TokenStore.grant(rs, now)).list();
    if (rows.size() <= f.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    Grant last = rows.get(f.limit() - 1);
    String next =
        PageCursor.after(NAME, f.fingerprint(), last.issuedAt().toEpochMilli(), last.id()).encode();
    return new Page<>(rows.subList(0, f.limit()), Optional.of(next));
  }

  /** The statement of a page under {@code f}; parameters as {@link #bind} binds them. */
  static String sql(TokenFilter f, Optional<String> account, boolean afterCursor, Dialect dialect) {
    String driver =
        f.secretId().isPresent()
            ? "secret"
            : f.principal().isPresent()
                ? "principal"
                : account.isPresent() ? "account" : f.status().isPresent() ? "status" : "none";
    List<String> all = new ArrayList<>();
    List<List<String>> groups = new ArrayList<>();
    f.secretId()
        .ifPresent(x -> all.add(Keyset.eq("secret_id", "sid", driver.equals("secret"), dialect)));
    if (f.principal().isPresent()) {
      boolean d = driver.equals("principal");
      groups.add(
          List.of(
              Keyset.eq("subject", "p", d, dialect),
              Keyset.eq("actor", "p", d, dialect) + " AND subject <> :p"));
    }
    if (account.isPresent()) {
      boolean d = driver.equals("account");
      groups.add(
          List.of(
              Keyset.eq("service_account_id", "acct", d, dialect),
              Keyset.eq("secret_account_id", "acct", d, dialect)
                  + " AND service_account_id <> :acct"));
    }
    f.status().ifPresent(s -> all.add(status(s, driver.equals("status"), dialect)));
    // After a cursor, its bound on issued_at (below eb) is the one range: SQLite takes one upper
    // bound per column, and starting at eb would read every token between eb and the cursor.
    f.expiringBefore()
        .ifPresent(
            x ->
                all.add(afterCursor ? "expires_at < :eb" : "expires_at < :eb AND issued_at < :eb"));
    if (afterCursor) {
      all.add("issued_at <= :cia AND (issued_at < :cia OR id > :cid)");
    }
    return Keyset.sql("SELECT * FROM tokens", all, groups, ORDER);
  }

  private static String status(String s, boolean driving, Dialect dialect) {
    return switch (s) {
      case "active" ->
          Keyset.eq("status", "st", driving, dialect)
              + " AND expires_at > :now AND issued_at > :floor";
      case "expired" -> Keyset.eq("status", "st", driving, dialect) + " AND expires_at <= :now";
      default -> Keyset.eq("status", "st", driving, dialect);
    };
  }

  private static void bind(Query q, TokenFilter f, Optional<String> account, Instant now) {
    int offset = f.cursor().isPresent() ? 0 : f.offset();
    q.bind("limit", f.limit() + 1).bind("offset", offset).bind("reach", f.limit() + 1 + offset);
    account.ifPresent(a -> q.bind("acct", a));
    f.secretId().ifPresent(x -> q.bind("sid", x));
    f.principal().ifPresent(x -> q.bind("p", x));
    f.expiringBefore().ifPresent(x -> q.bind("eb", x.toEpochMilli()));
    f.status()
        .ifPresent(
            s -> {
              q.bind("st", s.equals("revoked") ? "revoked" : "active");
              if (!s.equals("revoked")) {
                q.bind("now", now.toEpochMilli());
              }
              if (s.equals("active")) {
                q.bind("floor", now.minus(ScopeService.MAX_TTL).toEpochMilli() - 1);
              }
            });
  }
}
