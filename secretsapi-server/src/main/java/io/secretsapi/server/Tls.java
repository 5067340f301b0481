package io.secretsapi.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** TLS from PEM files: a certificate chain and a PKCS#8 private key (RSA, EC or Ed25519). */
final class Tls {
  private Tls() {}

  static SslContextFactory.Server contextFactory(Path certFile, Path keyFile) {
    try {
      List<? extends Certificate> chain;
      try (var in = Files.newInputStream(certFile)) {
        chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + certFile);
      }
      PrivateKey key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
      char[] password = io.secretsapi.Ids.random("", 24).toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("secretsapi", key, password, chain.toArray(new Certificate[0]));
      SslContextFactory.Server f = new SslContextFactory.Server();
      f.setKeyStore(ks);
      f.setKeyStorePassword(new String(password));
      f.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      return f;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load TLS certificate " + certFile + " and key " + keyFile + ": " + e.getMessage(),
          e);
    }
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException(
          "the key file must be PKCS#8 PEM (BEGIN PRIVATE KEY);"
              + " convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
    }
    String b64 =
        pem.substring(
                pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                pem.indexOf("-----END PRIVATE KEY-----"))
            .replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(b64);
    for (String alg : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("the private key is not RSA, EC or Ed25519");
  }
}
