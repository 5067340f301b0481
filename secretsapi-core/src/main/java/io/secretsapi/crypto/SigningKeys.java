package io.secretsapi.crypto;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import io.secretsapi.Ids;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ed25519 signing keys for one purpose (tokens; later the audit trail), kept in the store with the
 * private half sealed by the KEK.
 *
 * <p>One key signs; older keys keep verifying and stay in the JWKS until every token they signed
 * has expired ({@code publish_until}), so rotation never cuts a valid token. The signer and the
 * verifiers are built once from the parsed keys: no request parses a key. Thread-safe.
 */
public final class SigningKeys {
  /** The associated-data domain under which private signing keys are sealed. */
  public static final String DOMAIN = "secretsapi/signing-key/v1";

  private final Database db;
  private final Envelope envelope;
  private final Clock clock;
  private final String purpose;
  private final Duration maxTokenLife;
  private volatile Active active;
  private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();
  private volatile JWKSet published = new JWKSet();

  /** A key that signs: its id and signer. */
  public record Active(String kid, JWSSigner signer) {
    @Override
    public String toString() {
      return "Active[kid=" + kid + "]";
    }
  }

  public SigningKeys(
      Database db, Envelope envelope, Clock clock, String purpose, Duration maxTokenLife) {
    this.db = requireNonNull(db, "db");
    this.envelope = requireNonNull(envelope, "envelope");
    this.clock = requireNonNull(clock, "clock");
    this.purpose = requireNonNull(purpose, "purpose");
    this.maxTokenLife = requireNonNull(maxTokenLife, "maxTokenLife");
    reload();
    if (active == null) {
      rotate();
    }
  }

  /** What these keys sign: {@code token} or {@code audit}. */
  public String purpose() {
    return purpose;
  }

  /** The key that signs now. */
  public Active active() {
    return active;
  }

  /** The verifier for {@code kid}, when that key is still published. */
  public Optional<JWSVerifier> verifier(String kid) {
    return kid == null ? Optional.empty() : Optional.ofNullable(verifiers.get(kid));
  }

  /** The public keys, as {@code /.well-known/jwks.json} serves them. */
  public JWKSet jwks() {
    return published;
  }

  /**
   * Makes a new signing key and retires the current one: it stops signing now and keeps verifying
   * for the longest token life.
   */
  public String rotate() {
    Instant now = clock.instant();
    String kid = Ids.random(purpose.substring(0, 1) + "k_", 12);
    OctetKeyPair key;
    try {
      key =
          new OctetKeyPairGenerator(Curve.Ed25519)
              .keyID(kid)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(com.nimbusds.jose.JWSAlgorithm.EdDSA)
              .generate();
    } catch (JOSEException e) {
      throw new KeyMaterialException("cannot generate an Ed25519 key", e);
    }
    SealedValue sealed =
        envelope.seal(DOMAIN, kid, key.toJSONString().getBytes(StandardCharsets.UTF_8));
    db.inTransaction(
        h -> {
          h.createUpdate(
                  "UPDATE signing_keys SET retired_at = :now, publish_until = :until"
                      + " WHERE purpose = :p AND retired_at IS NULL")
              .bind("now", now.toEpochMilli())
              .bind("until", now.plus(maxTokenLife).plusSeconds(60).toEpochMilli())
              .bind("p", purpose)
              .execute();
          h.createUpdate(
                  "INSERT INTO signing_keys (kid, purpose, public_jwk, wrapped_key, ciphertext, kek_key_id,"
                      + " created_at) VALUES (:kid, :p, :pub, :w, :c, :k, :at)")
              .bind("kid", kid)
              .bind("p", purpose)
              .bind("pub", key.toPublicJWK().toJSONString())
              .bind("w", sealed.wrappedKey())
              .bind("c", sealed.ciphertext())
              .bind("k", sealed.kekKeyId())
              .bind("at", now.toEpochMilli())
              .execute();
          ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.SIGNING_KEYS, purpose);
          return null;
        });
    reload();
    return kid;
  }

  /**
   * Re-wraps, on {@code h}, every stored signing key (of any purpose) that a KEK key other than
   * {@code primary} wrapped: part of a KEK rotation. Returns how many were re-wrapped.
   */
  public static int rewrapAll(org.jdbi.v3.core.Handle h, Envelope envelope, long primary) {
    int n = 0;
    for (var row :
        h.createQuery(
                "SELECT kid, wrapped_key, ciphertext, kek_key_id FROM signing_keys"
                    + " WHERE kek_key_id <> :p")
            .bind("p", primary)
            .map(
                (rs, c) ->
                    Map.entry(
                        rs.getString(1),
                        new SealedValue(rs.getBytes(2), rs.getBytes(3), rs.getLong(4))))
            .list()) {
      SealedValue next = envelope.rewrap(DOMAIN, row.getKey(), row.getValue());
      h.createUpdate("UPDATE signing_keys SET wrapped_key = :w, kek_key_id = :k WHERE kid = :kid")
          .bind("w", next.wrappedKey())
          .bind("k", next.kekKeyId())
          .bind("kid", row.getKey())
          .execute();
      n++;
    }
    return n;
  }

  /**
   * Reads the keys of this purpose again, as after another node rotated them: the {@link
   * ChangeFeed} calls it when one does, and the periodic job every 30 s regardless.
   */
  public synchronized void reload() {
    long now = clock.millis();
    List<JWK> pub = new ArrayList<>();
    Map<String, JWSVerifier> next = new ConcurrentHashMap<>();
    Active signing = null;
    for (var row :
        db.read(
            h ->
                h.createQuery(
                        "SELECT kid, public_jwk, wrapped_key, ciphertext, kek_key_id,"
                            + " retired_at, publish_until FROM signing_keys WHERE purpose = :p ORDER BY created_at")
                    .bind("p", purpose)
                    .map(
                        (rs, c) ->
                            new Row(
                                rs.getString(1),
                                rs.getString(2),
                                new SealedValue(rs.getBytes(3), rs.getBytes(4), rs.getLong(5)),
                                rs.getObject(6) != null,
                                rs.getLong(7)))
                    .list())) {
      if (row.retired && row.publishUntil < now) {
        continue;
      }
      try {
        OctetKeyPair p = OctetKeyPair.parse(row.publicJwk);
        pub.add(p);
        JWSVerifier known = verifiers.get(row.kid); // a kid's key never changes: built once
        next.put(row.kid, known != null ? known : Ed25519Jws.verifier(p));
        Active current = active;
        if (!row.retired && current != null && current.kid().equals(row.kid)) {
          signing = current; // not opened again
        } else if (!row.retired) {
          OctetKeyPair priv =
              OctetKeyPair.parse(
                  new String(envelope.open(DOMAIN, row.kid, row.sealed), StandardCharsets.UTF_8));
          signing = new Active(row.kid, Ed25519Jws.signer(priv));
        }
      } catch (ParseException | JOSEException e) {
        throw new KeyMaterialException("signing key " + row.kid + " cannot be read", e);
      }
    }
    verifiers.keySet().retainAll(next.keySet());
    verifiers.putAll(next);
    published = new JWKSet(pub);
    active = signing;
  }

  private record Row(
      String kid, String publicJwk, SealedValue sealed, boolean retired, long publishUntil) {}

  @Override
  public String toString() {
    return "SigningKeys[" + purpose + ", active=" + (active == null ? "none" : active.kid()) + "]";
  }
}
