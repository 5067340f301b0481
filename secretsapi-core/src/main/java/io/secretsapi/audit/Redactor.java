package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps credentials out of the audit trail, as Vault's audit hashing does: a caller-supplied value
 * that is, or contains, something secret is written as {@code hmac-sha256:} plus its keyed hash.
 * Whoever holds a candidate value can ask the broker for its hash ({@code POST /audit/hash}) and
 * search the trail for it; nobody can read it back.
 *
 * <p>Sensitive means: one of our own credential shapes (an API key, a signed token, a webhook
 * signing secret), a well-known provider key shape, or exactly the value of a stored secret
 * (checked by keyed fingerprint, never by keeping values in memory).
 */
public final class Redactor {
  /** The prefix of a hashed value. */
  public static final String PREFIX = "hmac-sha256:";

  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "sk_[A-Za-z0-9]{8,}_[A-Za-z0-9_-]{16,}" // our API keys
              + "|eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.?" // any JWS / JWT
              + "|whsec_[A-Za-z0-9_-]{16,}" // our webhook secrets
              + "|(?:sk-ant-|sk-proj-|sk-|sk_live_|sk_test_|rk_live_|rk_test_|ghp_|gho_|ghs_|ghu_"
              + "|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza)[A-Za-z0-9_-]{12,}");

  private final byte[] key;
  private final Predicate<String> storedValue;

  /**
   * @param key the HMAC key (32 bytes), kept sealed in the store
   * @param storedValue true when a string is exactly the value of a stored secret
   */
  public Redactor(byte[] key, Predicate<String> storedValue) {
    this.key = requireNonNull(key, "key").clone();
    this.storedValue = requireNonNull(storedValue, "storedValue");
  }

  /** True when {@code value} has a credential's shape anywhere in it. Needs no key. */
  public static boolean looksLikeCredential(String value) {
    return value != null && mayHoldCredential(value) && CREDENTIAL.matcher(value).find();
  }

  /**
   * A cheap first pass: every shape {@link #CREDENTIAL} knows starts with one of these literals, so
   * a value holding none of them cannot match. Most audited strings (ids, names, reasons) end here.
   */
  private static boolean mayHoldCredential(String v) {
    return v.contains("sk")
        || v.contains("eyJ")
        || v.contains("whsec_")
        || v.contains("rk_")
        || v.contains("gh")
        || v.contains("github_pat_")
        || v.contains("glpat-")
        || v.contains("xox")
        || v.contains("AKIA")
        || v.contains("ASIA")
        || v.contains("AIza");
  }

  /** {@code value} itself when it is harmless, or its keyed hash when it is sensitive. */
  public String scrub(String value) {
    if (value == null || value.isEmpty() || value.startsWith(PREFIX)) {
      return value;
    }
    if ((value.length() >= 12 && looksLikeCredential(value))
        || (value.length() >= 6 && storedValue.test(value))) {
      return hmac(value);
    }
    return value;
  }

  /** The keyed hash of {@code value}: {@code hmac-sha256:} and 64 hex digits. */
  public String hmac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Redactor[key=<redacted>]";
  }
}
