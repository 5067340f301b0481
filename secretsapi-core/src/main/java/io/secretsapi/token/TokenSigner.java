package io.secretsapi.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.secretsapi.crypto.KeyMaterialException;
import io.secretsapi.crypto.SigningKeys;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Turns a grant into its signed token: an EdDSA JWT of type {@code secretsapi-grant+jwt} with the
 * claims {@link TokenVerifier} checks. The signer is the active key's, built once.
 */
final class TokenSigner {
  private TokenSigner() {}

  static String sign(SigningKeys keys, Grant g) {
    SigningKeys.Active key = keys.active();
    JWTClaimsSet.Builder c =
        new JWTClaimsSet.Builder()
            .issuer(TokenVerifier.ISSUER)
            .audience(TokenVerifier.AUDIENCE)
            .subject(g.subject())
            .jwtID(g.id())
            .issueTime(Date.from(Instant.ofEpochSecond(g.issuedAt().getEpochSecond())))
            .notBeforeTime(Date.from(Instant.ofEpochSecond(g.issuedAt().getEpochSecond())))
            .expirationTime(Date.from(g.expiresAt()))
            .claim("sid", g.secretId())
            .claim("sver", g.secretVersion())
            .claim("scp", g.scope())
            .claim("ops", Operation.wires(g.operations()))
            .claim("up", g.upstream().toMap())
            .claim("anc", g.ancestors())
            .claim("env", g.environment())
            .claim("iat_ms", g.issuedAt().toEpochMilli());
    g.actor().ifPresent(a -> c.claim("act", Map.of("sub", a)));
    g.apiKeyId().ifPresent(k -> c.claim("akid", k));
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(TokenVerifier.TYPE).keyID(key.kid()).build();
    SignedJWT jwt = new SignedJWT(header, c.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new KeyMaterialException("cannot sign a token", e);
    }
    return jwt.serialize();
  }
}
