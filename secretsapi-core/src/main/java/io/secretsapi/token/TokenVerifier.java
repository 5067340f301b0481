package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.secretsapi.Ids;
import io.secretsapi.crypto.SigningKeys;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one verifier of scoped tokens; the only maker of {@link VerifiedToken}.
 *
 * <p>Order of checks: size; a compact JWS in canonical base64url (no second spelling of the same
 * token); algorithm exactly {@code EdDSA}; {@code typ} exactly ours; no key material or key
 * location taken from the header ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code crit}
 * refused); a {@code kid} among our published keys (looked up in memory, never used as a path or
 * query); the signature; issuer and a single-string audience; {@code exp} strictly in the future
 * with no skew, {@code nbf} and {@code iat} within a small skew; then revocation of the token,
 * every ancestor, the secret, the principal and the issuing key. A token presented again skips the
 * signature check (cached until it expires) but never the time and revocation checks. Thread-safe.
 */
public final class TokenVerifier {
  static final String ISSUER = "secretsapi";
  static final String AUDIENCE = "secretsapi";
  static final JOSEObjectType TYPE = new JOSEObjectType("secretsapi-grant+jwt");
  static final Duration SKEW = Duration.ofSeconds(30);
  private static final int MAX_LENGTH = 8192;

  private final SigningKeys keys;
  private final RevocationIndex revocations;
  private final Clock clock;
  private final Cache<String, VerifiedToken> verified =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(30)).build();

  public TokenVerifier(SigningKeys keys, RevocationIndex revocations, Clock clock) {
    this.keys = requireNonNull(keys, "keys");
    this.revocations = requireNonNull(revocations, "revocations");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Runs {@code listener} whenever revocations take effect on this node, its own or another node's
   * (see {@link RevocationIndex#onRevocation}): it must hand any work to its own thread.
   */
  public void onRevocation(Runnable listener) {
    revocations.onRevocation(listener);
  }

  /**
   * Verifies a compact token.
   *
   * @throws InvalidTokenException naming the first check that failed
   */
  public VerifiedToken verify(String compact) {
    if (compact == null || compact.isBlank()) {
      throw new InvalidTokenException("no token was presented");
    }
    if (compact.length() > MAX_LENGTH) {
      throw new InvalidTokenException("the token is longer than " + MAX_LENGTH + " characters");
    }
    VerifiedToken t = verified.getIfPresent(compact);
    if (t == null) {
      t = verifySignatureAndClaims(compact);
      verified.put(compact, t);
    }
    Instant now = clock.instant();
    if (!now.isBefore(t.expiresAt())) {
      throw new InvalidTokenException("the token expired at " + t.expiresAt(), t, null);
    }
    if (now.plus(SKEW).isBefore(t.notBefore())) {
      throw new InvalidTokenException("the token is not valid before " + t.notBefore(), t, null);
    }
    if (revocations.isRevoked(
        t.id(),
        t.ancestors(),
        t.secretId(),
        t.subject(),
        t.actor().orElse(null),
        t.apiKeyId().orElse(null),
        t.issuedAt().toEpochMilli())) {
      throw new InvalidTokenException("the token " + t.id() + " has been revoked", t, null);
    }
    if (revocations.blocks().refusesUse(t.secretId(), t.secretVersion())) {
      throw new InvalidTokenException(
          "the token " + t.id() + " has been revoked: its secret is contained by an incident",
          t,
          null);
    }
    return t;
  }

  @SuppressWarnings("unchecked")
  private VerifiedToken verifySignatureAndClaims(String compact) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(compact);
    } catch (ParseException e) {
      throw new InvalidTokenException("the token is not a signed JWT");
    }
    for (var part : jwt.getParsedParts()) {
      if (!com.nimbusds.jose.util.Base64URL.encode(part.decode())
          .toString()
          .equals(part.toString())) {
        throw new InvalidTokenException("the token is not in canonical base64url");
      }
    }
    JWSHeader h = jwt.getHeader();
    if (!JWSAlgorithm.EdDSA.equals(h.getAlgorithm())
        || !"EdDSA".equals(h.getAlgorithm().getName())) {
      throw new InvalidTokenException("the token's algorithm must be EdDSA");
    }
    if (!TYPE.equals(h.getType())) {
      throw new InvalidTokenException("the token's typ must be " + TYPE);
    }
    if (h.getJWK() != null
        || h.getJWKURL() != null
        || h.getX509CertURL() != null
        || h.getX509CertChain() != null
        || h.getX509CertSHA256Thumbprint() != null
        || (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty())) {
      throw new InvalidTokenException(
          "the token's header may not carry keys, key locations or critical parameters");
    }
    Optional<JWSVerifier> verifier = keys.verifier(h.getKeyID());
    if (verifier.isEmpty()) {
      throw new InvalidTokenException("the token's kid is not a key of this broker");
    }
    try {
      if (!jwt.verify(verifier.get())) {
        throw new InvalidTokenException("the token's signature does not verify");
      }
    } catch (JOSEException | IllegalStateException e) {
      throw new InvalidTokenException("the token's signature does not verify");
    }
    Map<String, Object> c = jwt.getPayload().toJSONObject();
    if (c == null) {
      throw new InvalidTokenException("the token's claims are not a JSON object");
    }
    if (!ISSUER.equals(c.get("iss"))) {
      throw new InvalidTokenException("the token was not issued by this broker");
    }
    if (!(c.get("aud") instanceof String aud) || !AUDIENCE.equals(aud)) {
      throw new InvalidTokenException("the token's aud must be the single string " + AUDIENCE);
    }
    String jti = string(c, "jti");
    if (!Ids.looksLike("tok_", jti)) {
      throw new InvalidTokenException("the token's jti is not a token id");
    }
    Instant iat = seconds(c, "iat");
    if (c.get("iat_ms") instanceof Number ms && ms.longValue() / 1000 == iat.getEpochSecond()) {
      iat = Instant.ofEpochMilli(ms.longValue());
    }
    Instant nbf = seconds(c, "nbf");
    Instant exp = seconds(c, "exp");
    if (iat.isAfter(clock.instant().plus(SKEW))) {
      throw new InvalidTokenException("the token was issued in the future");
    }
    Optional<String> actor = Optional.empty();
    if (c.get("act") instanceof Map<?, ?> act && act.get("sub") instanceof String a) {
      actor = Optional.of(a);
    }
    Map<String, Object> up =
        c.get("up") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Upstream upstream =
        new Upstream(
            strings(up.get("hosts")), strings(up.get("methods")), strings(up.get("path_prefixes")));
    Set<Operation> ops;
    try {
      ops = Operation.split(String.join(" ", strings(c.get("ops"))));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the token's operations are not known");
    }
    int sver = c.get("sver") instanceof Number n ? n.intValue() : -1;
    return new VerifiedToken(
        jti,
        string(c, "sub"),
        actor,
        string(c, "sid"),
        sver,
        string(c, "scp"),
        ops,
        upstream,
        strings(c.get("anc")),
        string(c, "env"),
        Optional.ofNullable(c.get("akid") instanceof String k ? k : null),
        iat,
        nbf,
        exp,
        h.getKeyID());
  }

  private static String string(Map<String, Object> c, String name) {
    if (!(c.get(name) instanceof String s) || s.isEmpty()) {
      throw new InvalidTokenException("the token lacks the claim " + name);
    }
    return s;
  }

  private static Instant seconds(Map<String, Object> c, String name) {
    if (!(c.get(name) instanceof Number n)) {
      throw new InvalidTokenException("the token lacks the claim " + name);
    }
    return Instant.ofEpochSecond(n.longValue());
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        if (x instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
