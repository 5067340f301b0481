package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.secretsapi.crypto.SigningKeys;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Forged, altered and misused tokens: each must be refused by the one verifier. */
class JwtAttackTest {
  static TokenFixture f;
  static IssuedToken good;

  @BeforeAll
  static void setUp() {
    f = TokenFixture.start(TestStore.SQLITE);
    good = f.issue("10m");
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  static void refused(String token) {
    assertThatThrownBy(() -> f.b.core().verifier().verify(token))
        .isInstanceOf(InvalidTokenException.class);
    assertThat(f.b.core().tokens().introspect(token)).isEqualTo(Map.of("active", false));
  }

  static String[] parts() {
    return good.token().split("\\.");
  }

  static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  static String headerJson(String alg) {
    return "{\"alg\":\""
        + alg
        + "\",\"typ\":\"secretsapi-grant+jwt\",\"kid\":\""
        + f.b.core().tokenKeys().active().kid()
        + "\"}";
  }

  @Test
  void verify_untouchedToken_isAccepted() {
    assertThat(f.b.core().verifier().verify(good.token()).id()).isEqualTo(good.grant().id());
  }

  @Test
  void verify_algNoneInEveryCasing_isRefused() {
    for (String alg : List.of("none", "None", "NONE", "nOnE", "")) {
      refused(b64(headerJson(alg)) + "." + parts()[1] + ".");
      refused(b64(headerJson(alg)) + "." + parts()[1] + "." + parts()[2]);
    }
  }

  @Test
  void verify_hs256KeyedWithThePublicKey_isRefused() throws Exception {
    OctetKeyPair pub = (OctetKeyPair) f.b.core().tokenKeys().jwks().getKeys().get(0);
    byte[] secret = pub.toJSONString().getBytes(StandardCharsets.UTF_8);
    for (byte[] key : List.of(secret, padded(pub.getX().decode()))) {
      SignedJWT forged =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256)
                  .type(TokenVerifier.TYPE)
                  .keyID(pub.getKeyID())
                  .build(),
              SignedJWT.parse(good.token()).getJWTClaimsSet());
      forged.sign(new MACSigner(key));
      refused(forged.serialize());
    }
  }

  @Test
  void verify_embeddedJwkOrJkuOrX5u_isRefused() throws Exception {
    OctetKeyPair attacker =
        new OctetKeyPairGenerator(Curve.Ed25519)
            .keyID(f.b.core().tokenKeys().active().kid())
            .generate();
    JWTClaimsSet claims = SignedJWT.parse(good.token()).getJWTClaimsSet();
    List<UnaryOperator<JWSHeader.Builder>> tricks =
        List.of(
            h -> h.jwk(attacker.toPublicJWK()),
            h -> h.jwkURL(URI.create("https://attacker.example/jwks.json")),
            h -> h.x509CertURL(URI.create("https://attacker.example/cert.pem")),
            h -> h);
    for (UnaryOperator<JWSHeader.Builder> trick : tricks) {
      JWSHeader header =
          trick
              .apply(
                  new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                      .type(TokenVerifier.TYPE)
                      .keyID(attacker.getKeyID()))
              .build();
      SignedJWT forged = new SignedJWT(header, claims);
      forged.sign(new Ed25519Signer(attacker));
      refused(forged.serialize());
    }
  }

  @Test
  void verify_kidInjection_isRefused() throws Exception {
    OctetKeyPair attacker = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    for (String kid :
        List.of(
            "../../../../dev/null", "' OR '1'='1", "tk_unknownkey", "", "tk_" + "a".repeat(5000))) {
      SignedJWT forged =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(TokenVerifier.TYPE).keyID(kid).build(),
              SignedJWT.parse(good.token()).getJWTClaimsSet());
      forged.sign(new Ed25519Signer(attacker));
      refused(forged.serialize());
      refused(ours(claims -> claims, h -> h.keyID(kid)));
    }
  }

  @Test
  void verify_emptyZeroedOrAlteredSignature_isRefused() {
    String[] p = parts();
    refused(p[0] + "." + p[1] + ".");
    refused(p[0] + "." + p[1] + "." + Base64URL.encode(new byte[64]));
    byte[] sig = new Base64URL(p[2]).decode();
    sig[10] ^= 1;
    refused(p[0] + "." + p[1] + "." + Base64URL.encode(sig));
    for (char c :
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
      String respelled = p[2].substring(0, p[2].length() - 1) + c;
      if (!respelled.equals(p[2])) {
        refused(p[0] + "." + p[1] + "." + respelled);
      }
    }
    String payload =
        new Base64URL(p[1])
            .decodeToString()
            .replace("\"agent-runtime-04\"", "\"agent-runtime-05\"");
    refused(p[0] + "." + b64(payload) + "." + p[2]);
  }

  @Test
  void verify_claimsThatDoNotFit_areRefusedEvenWhenSignedByUs() {
    refused(ours(c -> c.audience(List.of("secretsapi", "other")), h -> h));
    refused(arrayAudience());
    refused(ours(c -> c.audience("another-service"), h -> h));
    refused(ours(c -> c.issuer("https://attacker.example"), h -> h));
    refused(ours(c -> c.expirationTime(Date.from(f.b.clock().instant().minusSeconds(1))), h -> h));
    refused(
        ours(
            c -> c.notBeforeTime(Date.from(f.b.clock().instant().plus(Duration.ofMinutes(5)))),
            h -> h));
    refused(ours(c -> c.claim("exp", null), h -> h));
    refused(ours(c -> c.jwtID("not-a-token-id"), h -> h));
    refused(ours(c -> c, h -> h.type(new JOSEObjectType("JWT"))));
    refused(ours(c -> c, h -> h.type(null)));
  }

  @Test
  void verify_expiredToken_isRefused() {
    IssuedToken shortLived = f.issue("1s");
    f.b.clock().advance(Duration.ofSeconds(1));
    refused(shortLived.token());
  }

  @Test
  void resolve_tokenForAnotherSecret_isRefused() {
    Secret other =
        f.b
            .vault()
            .create(
                f.b.root(),
                new NewSecret(
                    "anthropic-prod-key",
                    "anthropic",
                    "model-access",
                    "production",
                    "",
                    List.of(),
                    "sk-ant-0123456789abcdef",
                    null));
    assertThatThrownBy(
            () ->
                f.b
                    .core()
                    .tokens()
                    .resolve(good.token(), Optional.of(other.id()), Optional.empty()))
        .isInstanceOf(TokenLimitException.class)
        .hasMessageContaining("another secret");
    refused(ours(c -> c.claim("sid", other.id()), h -> h.keyID("tk_forged")));
  }

  @Test
  void verify_oversizedOrGarbage_isRefused() {
    refused("x".repeat(10_000));
    refused("not.a.jwt");
    refused("");
    refused("....");
  }

  /** A token signed with the broker's real key, with claims or header changed. */
  static String ours(
      UnaryOperator<JWTClaimsSet.Builder> claims, UnaryOperator<JWSHeader.Builder> header) {
    try {
      SigningKeys.Active key = f.b.core().tokenKeys().active();
      JWTClaimsSet base = SignedJWT.parse(good.token()).getJWTClaimsSet();
      JWTClaimsSet c =
          claims.apply(new JWTClaimsSet.Builder(base).jwtID("tok_" + "abcdefghijklmnop")).build();
      JWSHeader h =
          header
              .apply(
                  new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                      .type(TokenVerifier.TYPE)
                      .keyID(key.kid()))
              .build();
      SignedJWT jwt = new SignedJWT(h, c);
      jwt.sign(key.signer());
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code "aud": ["secretsapi"]}: Nimbus would write a one-element list as a string. */
  static String arrayAudience() {
    try {
      SigningKeys.Active key = f.b.core().tokenKeys().active();
      Map<String, Object> claims =
          new java.util.LinkedHashMap<>(SignedJWT.parse(good.token()).getPayload().toJSONObject());
      claims.put("aud", List.of("secretsapi"));
      claims.put("jti", "tok_abcdefghijklmnoq");
      var jws =
          new com.nimbusds.jose.JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                  .type(TokenVerifier.TYPE)
                  .keyID(key.kid())
                  .build(),
              new com.nimbusds.jose.Payload(claims));
      jws.sign(key.signer());
      assertThat(jws.getPayload().toString()).contains("\"aud\":[\"secretsapi\"]");
      return jws.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] padded(byte[] key) {
    byte[] out = new byte[Math.max(32, key.length)];
    System.arraycopy(key, 0, out, 0, key.length);
    return out;
  }
}
