package io.secretsapi.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Ed25519JwsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void signer_rfc8032TestVector1_givesTheRfcSignature() throws Exception {
    // RFC 8032, section 7.1, TEST 1 (an empty message).
    OctetKeyPair key =
        new OctetKeyPair.Builder(
                Curve.Ed25519,
                Base64URL.encode(
                    HEX.parseHex(
                        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")))
            .d(
                Base64URL.encode(
                    HEX.parseHex(
                        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))
            .build();
    JWSHeader header = new JWSHeader(JWSAlgorithm.EdDSA);
    Base64URL sig = Ed25519Jws.signer(key).sign(header, new byte[0]);
    assertThat(HEX.formatHex(sig.decode()))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(Ed25519Jws.verifier(key.toPublicJWK()).verify(header, new byte[0], sig)).isTrue();
  }

  @Test
  void signAndVerify_againstNimbusOwnEd25519_agreeBothWays() throws Exception {
    OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    JWSObject ours = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload("{\"a\":1}"));
    ours.sign(Ed25519Jws.signer(key));
    assertThat(JWSObject.parse(ours.serialize()).verify(new Ed25519Verifier(key.toPublicJWK())))
        .isTrue();
    JWSObject theirs = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload("{\"b\":2}"));
    theirs.sign(new Ed25519Signer(key));
    assertThat(JWSObject.parse(theirs.serialize()).verify(Ed25519Jws.verifier(key.toPublicJWK())))
        .isTrue();
  }

  @Test
  void verify_alteredInputWrongKeyCritOrBadLength_isFalse() throws Exception {
    OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    OctetKeyPair other = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    JWSHeader header = new JWSHeader(JWSAlgorithm.EdDSA);
    byte[] input = "header.payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Base64URL sig = Ed25519Jws.signer(key).sign(header, input);
    var verifier = Ed25519Jws.verifier(key.toPublicJWK());
    assertThat(verifier.verify(header, input, sig)).isTrue();
    byte[] altered = input.clone();
    altered[0] ^= 1;
    assertThat(verifier.verify(header, altered, sig)).isFalse();
    assertThat(Ed25519Jws.verifier(other.toPublicJWK()).verify(header, input, sig)).isFalse();
    JWSHeader crit =
        new JWSHeader.Builder(JWSAlgorithm.EdDSA)
            .criticalParams(Set.of("exp"))
            .customParam("exp", 1)
            .build();
    assertThat(verifier.verify(crit, input, sig)).isFalse();
    assertThat(verifier.verify(new JWSHeader(JWSAlgorithm.ES256), input, sig)).isFalse();
    byte[] longer = java.util.Arrays.copyOf(sig.decode(), 65);
    assertThat(verifier.verify(header, input, Base64URL.encode(longer))).isFalse();
    byte[] flipped = sig.decode();
    flipped[63] ^= 0x40; // s no longer below the group order
    assertThat(verifier.verify(header, input, Base64URL.encode(flipped))).isFalse();
  }

  @Test
  void verifier_smallOrderPublicKey_isRefused() {
    // The identity point: every signature "verifies" against it in a lax implementation.
    byte[] identity = new byte[32];
    identity[0] = 1;
    OctetKeyPair weak = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(identity)).build();
    assertThatThrownBy(() -> Ed25519Jws.verifier(weak)).isInstanceOf(JOSEException.class);
  }

  @Test
  void signer_publicPartOfAnotherKey_isRefused() throws Exception {
    OctetKeyPair a = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    OctetKeyPair b = new OctetKeyPairGenerator(Curve.Ed25519).generate();
    OctetKeyPair mixed = new OctetKeyPair.Builder(Curve.Ed25519, b.getX()).d(a.getD()).build();
    assertThatThrownBy(() -> Ed25519Jws.signer(mixed)).isInstanceOf(JOSEException.class);
  }
}
