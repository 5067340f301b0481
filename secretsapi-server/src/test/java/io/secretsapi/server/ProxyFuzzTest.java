package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.secretsapi.ValidationException;
import io.secretsapi.proxy.Injection;
import io.secretsapi.proxy.ProxyPaths;
import io.secretsapi.proxy.StreamRedactor;
import io.secretsapi.token.Upstream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Fuzz tests of the proxy's host, path and header handling and of its redaction. In CI they run in
 * regression mode (the inputs under {@code src/test/resources/.../ProxyFuzzTestInputs} and the
 * empty input); {@code JAZZER_FUZZ=1 mvn -pl secretsapi-server test -Dtest=ProxyFuzzTest} fuzzes
 * for the duration each test names.
 */
class ProxyFuzzTest {
  static final Upstream SCOPE =
      Upstream.of("upstream", List.of("api.openai.com"), List.of("POST"), List.of("/v1/chat"));

  @FuzzTest(maxDuration = "60s")
  void path_anyInput_acceptsOnlyPlainPathsThatMeanTheSameUpstream(FuzzedDataProvider data) {
    String raw = data.consumeRemainingAsString();
    String p;
    try {
      p = ProxyPaths.path(raw);
    } catch (ValidationException refused) {
      return;
    }
    assertThat(p).startsWith("/").doesNotContain("//").doesNotContain("\\");
    for (String seg : p.split("/")) {
      assertThat(seg).isNotEqualTo("..").isNotEqualTo(".");
    }
    String lower = p.toLowerCase(Locale.ROOT);
    assertThat(lower).doesNotContain("%2e").doesNotContain("%2f").doesNotContain("%5c");
    URI u = URI.create("https://api.openai.com" + p);
    assertThat(u.normalize().getRawPath()).as("normalizing changes nothing").isEqualTo(p);
    assertThat(u.getHost()).isEqualTo("api.openai.com");
    if (SCOPE.refuses("api.openai.com", "POST", p).isEmpty()) {
      assertThat(p.equals("/v1/chat") || p.startsWith("/v1/chat/")).isTrue();
    }
  }

  @FuzzTest(maxDuration = "60s")
  void host_anyInput_acceptsOnlyAPlainHostAndPort(FuzzedDataProvider data) {
    String raw = data.consumeRemainingAsString();
    String h;
    try {
      h = ProxyPaths.host(raw);
    } catch (ValidationException | NumberFormatException refused) {
      return;
    }
    assertThat(h).matches("[a-z0-9.-]+(:[0-9]{1,5})?");
    URI u = URI.create("https://" + h + "/v1/chat");
    assertThat(u.getRawAuthority()).isEqualTo(h);
    assertThat(u.getRawUserInfo()).isNull();
    assertThat(u.getHost()).as("a server-based authority, as the client needs").isNotNull();
    assertThat(u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())).isEqualTo(h);
  }

  @FuzzTest(maxDuration = "60s")
  void target_anyInput_acceptedOnlyWhenRoutesCanDecodeIt(FuzzedDataProvider data) {
    String raw = "/" + data.consumeRemainingAsString();
    if (RequestTargets.plainPath(raw)) {
      // Javalin decodes path parameters so; a path let through must not make it throw
      assertThat(java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8)).doesNotContain("\u0000");
    }
    if (RequestTargets.wellFormedEscapes(raw)) {
      java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void forwarded_anyHeaderName_neverForwardsCredentialsOrHopByHop(FuzzedDataProvider data) {
    String name = data.consumeRemainingAsString();
    for (Injection inj :
        List.of(
            Injection.BEARER,
            Injection.forProvider("anthropic"),
            Injection.forProvider("shopify"))) {
      if (ProxyCalls.forwarded(name, inj)) {
        String lower = name.toLowerCase(Locale.ROOT).trim();
        assertThat(lower)
            .isNotEqualTo("authorization")
            .isNotEqualTo("proxy-authorization")
            .isNotEqualTo("host")
            .isNotEqualTo("connection")
            .isNotEqualTo("x-api-key")
            .isNotEqualTo(inj.header().toLowerCase(Locale.ROOT));
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  void redactor_anyTextAndChunking_neverLetsTheCredentialThrough(FuzzedDataProvider data) {
    String secret = data.consumeString(48);
    if (secret.length() < 9 || secret.contains("[") || secret.contains("]")) {
      return; // too short to be a credential, or able to spell itself out of the redaction mark
    }
    String before = data.consumeString(200);
    String after = data.consumeString(200);
    byte[] whole = (before + secret + after + secret).getBytes(StandardCharsets.UTF_8);
    StreamRedactor r = new StreamRedactor(List.of(secret));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < whole.length) {
      int n = Math.min(whole.length - at, 1 + data.consumeInt(0, 40));
      out.writeBytes(r.next(whole, at, n));
      at += n;
    }
    out.writeBytes(r.finish());
    String result = out.toString(StandardCharsets.UTF_8);
    assertThat(result).doesNotContain(secret);
  }
}
