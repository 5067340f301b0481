package io.secretsapi.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The masked view of a value: a short prefix and suffix, and a keyed fingerprint.
 *
 * <p>A value of 16 characters or more shows 4 + 4 ({@code cf_l...lpha}); 10 to 15 show 2 + 2;
 * shorter values show nothing. The fingerprint is HMAC-SHA256 under a vault key (not a plain hash),
 * so that someone with read access cannot test guesses of a low-entropy value.
 */
final class Masking {
  private final byte[] fingerprintKey;

  /**
   * Keyed Macs ready for use, shared by all threads: fingerprints are taken for every field of
   * every audit record, and requests run on virtual threads, one per request, so a Mac per thread
   * would be made and keyed anew for every request. The pool holds at most as many as ever ran at
   * once.
   */
  private final ConcurrentLinkedQueue<Mac> idle = new ConcurrentLinkedQueue<>();

  Masking(byte[] fingerprintKey) {
    this.fingerprintKey = fingerprintKey.clone();
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  static String mask(String value) {
    int n = value.length();
    if (n >= 16) {
      return value.substring(0, 4) + "..." + value.substring(n - 4);
    } else if (n >= 10) {
      return value.substring(0, 2) + "..." + value.substring(n - 2);
    }
    return "...";
  }

  String fingerprint(String value) {
    Mac mac = idle.poll();
    if (mac == null) {
      mac = newMac();
    }
    byte[] h;
    try {
      h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } finally {
      idle.offer(mac); // doFinal leaves it reset, ready for the next value
    }
    String hex = HexFormat.of().formatHex(h, 0, 8);
    return hex.substring(0, 4)
        + ":"
        + hex.substring(4, 8)
        + ":"
        + hex.substring(8, 12)
        + ":"
        + hex.substring(12);
  }

  @Override
  public String toString() {
    return "Masking[key=<redacted>]";
  }
}
