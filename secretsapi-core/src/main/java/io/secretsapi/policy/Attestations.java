package io.secretsapi.policy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.secretsapi.ValidationException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies workload identity tokens (a JWT from a configured OIDC issuer, such as a Kubernetes
 * service account token or a SPIFFE JWT-SVID) so that their claims can reach policy conditions.
 * Keys come from a JWKS file or URL; issuer and audience must match exactly; RS256, ES256 and EdDSA
 * are accepted. Thread-safe.
 */
public final class Attestations {
  private final Optional<DefaultJWTProcessor<SecurityContext>> processor;

  private Attestations(Optional<DefaultJWTProcessor<SecurityContext>> processor) {
    this.processor = processor;
  }

  /** No issuer configured: a presented attestation is refused. */
  public static Attestations none() {
    return new Attestations(Optional.empty());
  }

  /** Trusts {@code issuer} for {@code audience}, with keys from a JWKS file or URL. */
  public static Attestations of(
      String issuer, String audience, Optional<Path> jwksFile, Optional<URL> jwksUrl) {
    JWKSource<SecurityContext> source;
    try {
      if (jwksFile.isPresent()) {
        source = new ImmutableJWKSet<>(JWKSet.load(jwksFile.get().toFile()));
      } else {
        source = JWKSourceBuilder.create(jwksUrl.orElseThrow()).build();
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot load the attestation JWKS: " + e.getMessage(), e);
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), source));
    p.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp", "iat")));
    return new Attestations(Optional.of(p));
  }

  /** The verified claims of {@code jwt}, or a refusal naming the field {@code attestation}. */
  public Map<String, Object> verify(String jwt) {
    if (processor.isEmpty()) {
      throw new ValidationException(
          "attestation",
          "not_configured",
          "attestation was presented, but no attestation issuer is configured");
    }
    try {
      return processor.get().process(jwt, null).toJSONObject();
    } catch (Exception e) {
      throw new ValidationException(
          "attestation", "invalid", "attestation did not verify: " + e.getMessage());
    }
  }
}
