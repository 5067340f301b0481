package io.secretsapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.secretsapi.ValidationException;
import io.secretsapi.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttestationsTest {
  static final String ISSUER = "https://kubernetes.default.svc";

  static String workloadToken(ECKey key, String issuer, String audience, long expiresInSeconds)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject("system:serviceaccount:ai:agent-runtime-04")
                .issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000))
                .claim("team", "ai-platform")
                .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void verify_tokenOfTheConfiguredIssuer_answersItsClaims() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k8s-1").generate();
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("k8s-1").generate();
    Path jwks = TestDatabases.tempDir("jwks-").resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    Attestations a = Attestations.of(ISSUER, "secretsapi", Optional.of(jwks), Optional.empty());

    assertThat(a.verify(workloadToken(key, ISSUER, "secretsapi", 300)))
        .containsEntry("team", "ai-platform")
        .containsEntry("sub", "system:serviceaccount:ai:agent-runtime-04");
    for (String bad :
        new String[] {
          workloadToken(key, "https://evil.example", "secretsapi", 300),
          workloadToken(key, ISSUER, "another-audience", 300),
          workloadToken(key, ISSUER, "secretsapi", -120),
          workloadToken(stranger, ISSUER, "secretsapi", 300),
          "not-a-jwt"
        }) {
      assertThatThrownBy(() -> a.verify(bad))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("attestation"));
    }
  }

  @Test
  void verify_withoutAConfiguredIssuer_isRefused() {
    assertThatThrownBy(() -> Attestations.none().verify("x"))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.rule()).isEqualTo("not_configured"));
  }
}
