package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Durations;
import io.secretsapi.Inputs;
import io.secretsapi.NotFoundException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Sql;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/** Defines, lists and deletes the scopes of a secret; only the secret's owner may. */
public final class ScopeService {
  /** The longest TTL a scope may allow. */
  public static final Duration MAX_TTL = Duration.ofHours(24);

  private static final Pattern FIELD =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private final Database db;
  private final Vault vault;
  private final Clock clock;
  private final AuditLog audit;
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<SecretScope>> cache =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(10_000)
          .expireAfterWrite(Duration.ofSeconds(5))
          .build();

  public ScopeService(Database db, Vault vault, Clock clock, AuditLog audit) {
    this.db = requireNonNull(db, "db");
    this.vault = requireNonNull(vault, "vault");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
  }

  /** Defines a scope of a secret the caller owns. */
  public SecretScope define(Caller caller, String secretId, NewScope in) {
    Secret secret = vault.get(caller, secretId);
    if (!secret.status().equals("active")) {
      throw new ConflictException("secret_id", "secret " + secretId + " is sealed");
    }
    String name = Inputs.slug("name", in.name(), 64);
    var ops = Operation.parseAll("operations", in.operations());
    NewScope.UpstreamSpec u = in.upstream();
    Upstream upstream =
        u == null
            ? Upstream.nowhere()
            : Upstream.of("upstream", u.hosts(), u.methods(), u.pathPrefixes());
    Duration maxTtl = Durations.parse("max_ttl", in.maxTtl() == null ? "15m" : in.maxTtl());
    if (maxTtl.toSeconds() < 1 || maxTtl.compareTo(MAX_TTL) > 0) {
      throw new ValidationException("max_ttl", "range", "max_ttl must be between 1s and 24h");
    }
    if (in.maxUses() != null && in.maxUses() < 1) {
      throw new ValidationException("max_uses", "range", "max_uses must be at least 1");
    }
    Optional<BigDecimal> maxAmount = Optional.ofNullable(in.maxAmount()).map(ScopeService::amount);
    Optional<String> field = Optional.ofNullable(in.amountField());
    field.ifPresent(
        f -> {
          if (!FIELD.matcher(f).matches() || f.length() > 128) {
            throw new ValidationException(
                "amount_field",
                "json_field",
                "amount_field must be a JSON field path such as amount or data.total");
          }
        });
    if (maxAmount.isPresent() != field.isPresent()) {
      throw new ValidationException(
          maxAmount.isPresent() ? "amount_field" : "max_amount",
          "pair",
          "max_amount and amount_field must be given together");
    }
    SecretScope scope =
        new SecretScope(
            secretId,
            name,
            ops,
            upstream,
            maxTtl,
            Optional.ofNullable(in.maxUses()),
            maxAmount,
            field,
            clock.instant());
    try {
      db.inTransaction(
          h -> {
            ScopeStore.insert(h, scope);
            changed(h, secretId, name);
            audit.append(
                h,
                AuditEntry.of("scope.define", caller.principal(), "done")
                    .secret(secretId)
                    .scope(name)
                    .reason("scope " + name + " defined: " + Operation.join(ops))
                    .build());
            return null;
          });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ConflictException(
            "name", "secret " + secretId + " already has a scope named " + name);
      }
      throw e;
    }
    cache.invalidate(secretId + "\n" + name); // again: a read may have cached its absence
    return scope;
  }

  /** The scopes of a secret the caller owns. */
  public List<SecretScope> list(Caller caller, String secretId) {
    vault.get(caller, secretId);
    return db.read(h -> ScopeStore.list(h, secretId));
  }

  /** A secret's scope by name, read on {@code h} (for a service generating policy from it). */
  public static Optional<SecretScope> find(Handle h, String secretId, String name) {
    return ScopeStore.find(h, secretId, name);
  }

  /** Deletes a scope; tokens already issued for it keep their own copy of its limits. */
  public void delete(Caller caller, String secretId, String name) {
    vault.get(caller, secretId);
    db.inTransaction(
        h -> {
          List<String> bundling = ScopeStore.bundledBy(h, secretId, name);
          if (!bundling.isEmpty()) {
            // a package's item names the scope: deleting it and defining it again wider would
            // widen every engine it is bound to without a review of the package
            throw new ConflictException(
                "name",
                "bundled",
                "scope "
                    + name
                    + " is bundled by package "
                    + String.join(", ", bundling)
                    + "; remove it from the package first");
          }
          if (ScopeStore.delete(h, secretId, name) == 0) {
            throw new NotFoundException("scope", name);
          }
          audit.append(
              h,
              AuditEntry.of("scope.delete", caller.principal(), "done")
                  .secret(secretId)
                  .scope(name)
                  .reason("scope " + name + " deleted")
                  .build());
          changed(h, secretId, name);
          return null;
        });
    cache.invalidate(secretId + "\n" + name); // again: a read may have cached it before the commit
  }

  private void changed(Handle h, String secretId, String name) {
    cache.invalidate(secretId + "\n" + name);
    ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.SCOPES, secretId + "\n" + name);
  }

  /** Drops a scope (or, with no key, every scope) read for issuing: it changed in the store. */
  public void forget(Optional<String> key) {
    key.ifPresentOrElse(cache::invalidate, cache::invalidateAll);
  }

  /** A scope by name, for issuing; no ownership check (the policy gate decides use). */
  Optional<SecretScope> find(String secretId, String name) {
    return cache.get(secretId + "\n" + name, k -> db.read(h -> ScopeStore.find(h, secretId, name)));
  }

  static BigDecimal amount(String s) {
    try {
      if (s.length() > 64) {
        throw new NumberFormatException();
      }
      BigDecimal d = new BigDecimal(s);
      if (d.signum() <= 0 || !Amounts.inRange(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "max_amount",
          "decimal",
          "max_amount must be a positive decimal below 10^18 with at most 6 decimals");
    }
  }
}
