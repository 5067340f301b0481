package io.secretsapi.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, defect 8: redaction was exact-match only, so an echo that escaped, encoded or recased
 * the key passed it through. Each spelling an HTTP or JSON echo produces is redacted, at every
 * chunk boundary.
 */
class StreamRedactorTest {
  static final String KEY = "sk-proj/Abc+def=ghi jkl\"mn\\op-0123456789";
  static final String HEX_KEY = "0123456789abcdef0123456789ABCDEF";

  /** Every spelling of {@code key} that an echo may produce. */
  static List<String> echoes(String key) {
    List<String> all = new ArrayList<>();
    all.add(key);
    all.add(key.replace("/", "\\/")); // JSON with escaped slashes
    all.add(key.replace("\\", "\\\\").replace("\"", "\\\"")); // JSON string
    all.add(jsonUnicode(key, false));
    all.add(jsonUnicode(key, true));
    String form = URLEncoder.encode(key, StandardCharsets.UTF_8);
    all.add(form); // form-encoding: + for space, upper hex
    all.add(lowerHexEscapes(form));
    all.add(form.replace("+", "%20"));
    all.add(lowerHexEscapes(form.replace("+", "%20")));
    for (String prefix : List.of("", "u", "us", "user:", "api:x", "Basic ")) {
      for (String suffix : List.of("", ":", "x:", "xyz")) {
        byte[] b = (prefix + key + suffix).getBytes(StandardCharsets.UTF_8);
        all.add(Base64.getEncoder().encodeToString(b));
        all.add(Base64.getEncoder().withoutPadding().encodeToString(b));
        all.add(Base64.getUrlEncoder().encodeToString(b));
        all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        all.add(Base64.getEncoder().encodeToString(b).replace("/", "\\/")); // base64 in JSON
      }
    }
    return all;
  }

  private static String jsonUnicode(String s, boolean upper) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      String hex = String.format(Locale.ROOT, "%04x", (int) c);
      b.append("\\").append('u').append(upper ? hex.toUpperCase(Locale.ROOT) : hex);
    }
    return b.toString();
  }

  private static String lowerHexEscapes(String s) {
    StringBuilder b = new StringBuilder(s);
    for (int i = 0; i < b.length(); i++) {
      if (b.charAt(i) == '%') {
        b.setCharAt(i + 1, Character.toLowerCase(b.charAt(i + 1)));
        b.setCharAt(i + 2, Character.toLowerCase(b.charAt(i + 2)));
      }
    }
    return b.toString();
  }

  /** {@code text} through a redactor for {@code secrets}, in chunks of {@code size} bytes. */
  static String redact(List<String> secrets, String text, int size) {
    StreamRedactor r = new StreamRedactor(secrets);
    byte[] in = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < in.length; at += size) {
      out.writeBytes(r.next(in, at, Math.min(size, in.length - at)));
    }
    out.writeBytes(r.finish());
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The run of characters any base64 of text holding {@code key} at offset {@code o} holds. */
  private static String stableRun(String key, int o) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int skip = (3 - o % 3) % 3;
    int usable = (k.length - skip) / 3 * 3;
    byte[] mid = java.util.Arrays.copyOfRange(k, skip, skip + usable);
    return Base64.getEncoder().encodeToString(mid);
  }

  @Test
  void next_everyEchoSpellingAtEveryChunkSize_isRedacted() {
    for (String echo : echoes(KEY)) {
      String body = "{\"error\":\"bad key\",\"you_sent\":\"" + echo + "\",\"n\":1}";
      for (int size : new int[] {1, 2, 3, 5, 7, 16, 64, 4096}) {
        String out = redact(List.of(KEY), body, size);
        assertThat(out).as(echo + " in chunks of " + size).contains("[redacted]");
        assertThat(out).as(echo + " in chunks of " + size).doesNotContain(echo);
        assertThat(out)
            .startsWith("{\"error\":\"bad key\",\"you_sent\":\"")
            .endsWith("\",\"n\":1}");
        for (int o = 0; o < 3; o++) {
          assertThat(out).as("base64 run at alignment " + o).doesNotContain(stableRun(KEY, o));
        }
      }
    }
  }

  @Test
  void next_hexKeyInAnyCase_isRedacted() {
    for (String echo :
        List.of(
            HEX_KEY,
            HEX_KEY.toLowerCase(Locale.ROOT),
            HEX_KEY.toUpperCase(Locale.ROOT),
            HexFormat.of().withUpperCase().formatHex(HexFormat.of().parseHex(HEX_KEY)))) {
      for (int size : new int[] {1, 4, 4096}) {
        String out = redact(List.of(HEX_KEY), "key=" + echo + ";", size);
        assertThat(out).as(echo).isEqualTo("key=[redacted];");
      }
    }
  }

  @Test
  void next_nonAsciiKeyAsJsonOrPercentEscapes_isRedacted() {
    String key = "clé-секрет-\uD83D\uDD11-0123456789";
    for (String echo :
        List.of(
            key,
            jsonUnicode(key, false),
            jsonUnicode(key, true),
            URLEncoder.encode(key, StandardCharsets.UTF_8),
            lowerHexEscapes(URLEncoder.encode(key, StandardCharsets.UTF_8)))) {
      for (int size : new int[] {1, 3, 4096}) {
        assertThat(redact(List.of(key), "[" + echo + "]", size)).as(echo).isEqualTo("[[redacted]]");
      }
    }
  }

  @Test
  void next_ordinaryBodies_passUnchanged() {
    List<String> bodies =
        List.of(
            "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hello \\/ world\"}}]}",
            "data: {\"text\":\"sk-proj is a prefix, %41 is an A, \\u0041 too\"}\n\n",
            "a+b=c&d=%2F&e=\\n " + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5}),
            "");
    for (String body : bodies) {
      for (int size : new int[] {1, 3, 4096}) {
        assertThat(redact(List.of(KEY, HEX_KEY), body, size)).isEqualTo(body);
      }
    }
  }

  @Test
  void redact_headerValueWithEncodedKey_isRedacted() {
    StreamRedactor r = new StreamRedactor(List.of(KEY));
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));
    assertThat(r.redact(basic)).startsWith("Basic ").doesNotContain(stableRun(KEY, 4));
    assertThat(r.redact("x " + URLEncoder.encode(KEY, StandardCharsets.UTF_8)))
        .isEqualTo("x [redacted]");
  }

  /**
   * The review's leak: an answer cut at a size limit inside a spelling released the held-back start
   * of the credential (35 of 36 characters). Cut at every offset of every spelling, nothing of more
   * than a few bytes of the key's start is released; at the natural end, no tail of {@link
   * StreamRedactor#WITHHELD_AT_END} bytes or more.
   */
  @Test
  void cutAndFinish_streamEndingInsideASpellingAtEveryOffset_releaseNoStartOfTheKey() {
    // the spellings recognised from their first character (a base64 of a prefix and the key may
    // start with characters of the prefix alone, which are text)
    List<String> fromTheStart =
        echoes(KEY).stream()
            .filter(e -> new StreamRedactor(List.of(KEY)).redact(e).startsWith("[redacted]"))
            .toList();
    assertThat(fromTheStart.size()).isGreaterThan(10);
    for (String echo : fromTheStart) {
      for (int k = 1; k < echo.length(); k++) {
        String body = "{\"you_sent\":\"" + echo.substring(0, k);
        byte[] in = body.getBytes(StandardCharsets.UTF_8);
        for (boolean cut : new boolean[] {true, false}) {
          StreamRedactor r = new StreamRedactor(List.of(KEY));
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.writeBytes(r.next(in, 0, in.length));
          out.writeBytes(cut ? r.cut() : r.finish());
          String got = out.toString(StandardCharsets.UTF_8);
          String released = got.substring(Math.min(got.length(), "{\"you_sent\":\"".length()));
          // the start of the spelling never comes out (a cut: none of it; the natural end: not
          // WITHHELD_AT_END bytes of it); a base64 group across the key's end may remain
          String left = released.replace("[redacted]", "");
          int start = cut ? Math.min(k, 4) : StreamRedactor.WITHHELD_AT_END;
          assertThat(k < start || !left.contains(echo.substring(0, start)))
              .as("%s cut at %d (%s): %s", echo, k, cut ? "cut" : "end", got)
              .isTrue();
        }
      }
    }
  }
}
