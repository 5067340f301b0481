package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Over TLS the session cookie is {@code Secure} and carries the {@code __Secure-} prefix. */
class ConsoleTlsHttpTest {

  @Test
  void logIn_overTls_cookieIsSecureAndPrefixed() throws Exception {
    Path dir = io.secretsapi.testing.TestDatabases.tempDir("console-tls-");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
    try (TestServer s =
        TestServer.start(
            TestStore.SQLITE,
            Map.of("tls.cert_file", cert.toString(), "tls.key_file", key.toString()))) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl(), trusting(cert));
      HttpResponse<String> r = c.logIn(s.rootKey());
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("__Secure-secretsapi-console=")
          .contains("; Path=/console", "; HttpOnly", "; SameSite=Strict", "; Secure");
      assertThat(c.get("/console").statusCode()).isEqualTo(200);
    }
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
