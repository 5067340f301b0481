package io.secretsapi.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * EdDSA (Ed25519) signing and verification of JWS for Nimbus, done by BouncyCastle's RFC 8032 code:
 * twice as fast as Tink's (what Nimbus's own Ed25519 classes use) on this machine, and it is on the
 * hot path of every token issued and every token first presented (see docs/benchmarks.md).
 *
 * <p>Keys are decoded once, when the signer or verifier is built: the verifier keeps the public key
 * as a validated, decompressed point (small-order and non-canonical keys are refused there), the
 * signer keeps the seed and its public key, so no request decodes or derives a key. The verifier
 * accepts only {@code alg: EdDSA} with no {@code crit} parameters, and only 64-byte signatures, as
 * Nimbus's verifier does. Both are immutable and thread-safe.
 */
public final class Ed25519Jws {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA);

  static {
    Ed25519.precompute();
  }

  private Ed25519Jws() {}

  /** A signer for the private Ed25519 key {@code key}. */
  public static JWSSigner signer(OctetKeyPair key) throws JOSEException {
    if (!Curve.Ed25519.equals(key.getCurve()) || !key.isPrivate()) {
      throw new JOSEException("an Ed25519 signer needs a private OKP key with crv=Ed25519");
    }
    byte[] seed = key.getDecodedD();
    byte[] pub = key.getDecodedX();
    byte[] derived = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, derived, 0);
    if (seed.length != Ed25519.SECRET_KEY_SIZE
        || !java.security.MessageDigest.isEqual(derived, pub)) {
      throw new JOSEException("the Ed25519 key's public part does not match its private part");
    }
    return new Signer(seed, pub);
  }

  /** A verifier for the public Ed25519 key {@code key}. */
  public static JWSVerifier verifier(OctetKeyPair key) throws JOSEException {
    if (!Curve.Ed25519.equals(key.getCurve())) {
      throw new JOSEException("an Ed25519 verifier needs an OKP key with crv=Ed25519");
    }
    byte[] pub = key.getDecodedX();
    Ed25519.PublicPoint point =
        pub.length == Ed25519.PUBLIC_KEY_SIZE ? Ed25519.validatePublicKeyFullExport(pub, 0) : null;
    if (point == null) {
      throw new JOSEException("not a valid Ed25519 public key");
    }
    return new Verifier(point);
  }

  /**
   * What Nimbus asks of every signer and verifier: the algorithm, and a JCA context unused here.
   */
  private abstract static class Provider implements com.nimbusds.jose.JWSProvider {
    private final JCAContext jca = new JCAContext();

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }

  private static final class Signer extends Provider implements JWSSigner {
    private final byte[] seed;
    private final byte[] pub;

    Signer(byte[] seed, byte[] pub) {
      this.seed = seed;
      this.pub = pub;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
        throw new JOSEException("the Ed25519 signer signs alg=EdDSA only");
      }
      byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
      Ed25519.sign(seed, 0, pub, 0, signingInput, 0, signingInput.length, sig, 0);
      return Base64URL.encode(sig);
    }

    @Override
    public String toString() {
      return "Ed25519Jws.Signer[<redacted>]";
    }
  }

  private static final class Verifier extends Provider implements JWSVerifier {
    private final Ed25519.PublicPoint point;

    Verifier(Ed25519.PublicPoint point) {
      this.point = point;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())
          || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
        return false;
      }
      byte[] sig = signature.decode();
      return sig.length == Ed25519.SIGNATURE_SIZE
          && Ed25519.verify(sig, 0, point, signingInput, 0, signingInput.length);
    }
  }
}
