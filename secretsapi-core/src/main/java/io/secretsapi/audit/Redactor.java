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
 * The hash is keyed with a key sealed in the store, so equal values give equal hashes across the
 * trail, while nobody without the broker's key can test a guess against it or read a value back.
 *
 * <p>Sensitive means: one of our own credential shapes (an API key, a signed token, a webhook
 * signing secret), a well-known provider key shape anywhere in the text, or, as the whole text or
 * as one of its words, exactly the value of a stored secret or the secret part of an API key
 * (checked by keyed fingerprint and hash, never by keeping values in memory). Words are split at
 * white space (Unicode's too), and again at the punctuation that surrounds a value in prose, JSON,
 * headers and URLs ({@code , ; : ' " ( ) [ ] { } < > = & ? # | \ / + . ! * ` @ ~ $ ^}); text with
 * percent escapes is looked at decoded too. A value glued to other letters with none of these
 * between (or with {@code -} or {@code _}, which keys hold themselves) is recognised only by its
 * shape.
 */
public final class Redactor {
  /** The prefix of a hashed value. */
  public static final String PREFIX = "hmac-sha256:";

  /**
   * Credential shapes, each starting where a word starts: {@code task-management-board} holds
   * {@code sk-management-board} but is a name, not a key.
   */
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "(?<![A-Za-z0-9])(?:"
              + "sk_[A-Za-z0-9]{8,}_[A-Za-z0-9_-]{16,}" // our API keys
              + "|eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.?" // any JWS / JWT
              + "|whsec_[A-Za-z0-9_-]{16,}" // our webhook secrets
              + "|(?:sk-ant-|sk-proj-|sk-|sk_live_|sk_test_|rk_live_|rk_test_|ghp_|gho_|ghs_|ghu_"
              + "|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza)[A-Za-z0-9_-]{12,})");

  /** Punctuation that stands around a value in prose, JSON, headers and URLs, not inside one. */
  private static final String PUNCTUATION_CHARS = ",;:'\"()[]{}<>=&?#|\\/+.!*`@~$^";

  /** Any white space, Unicode's too (no-break, em and ideographic spaces). */
  private static final Pattern WHITE = Pattern.compile("[\\s\\p{Z}]+");

  private static final Pattern PUNCTUATION =
      Pattern.compile("[\\s\\p{Z},;:'\"()\\[\\]{}<>=&?#|\\\\/+.!*`@~$^]+");

  /** Values shorter than this are not looked up: too short to be a key, too common in prose. */
  private static final int MIN_VALUE = 6;

  /** Texts longer than this are looked up whole and by shape only, not word by word. */
  private static final int MAX_WORDS_TEXT = 16_384;

  private final byte[] key;
  private final Predicate<String> storedValue;
  private final java.util.function.LongSupplier generation;

  /**
   * Texts of several words found to hold no secret, with the {@link #generation} they were checked
   * at. The same texts come back on every request (a route, a rule's reason), and looking each up
   * word by word costs a keyed hash per word; a text of one word costs one, remembered or not. An
   * entry counts only while nothing was stored since: a text that holds no secret today may hold
   * one after a value is stored. Only texts that hold no secret are kept here.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Long> clean;

  /**
   * @param key the HMAC key (32 bytes), kept sealed in the store
   * @param storedValue true when a string is exactly the value of a stored secret
   */
  public Redactor(byte[] key, Predicate<String> storedValue) {
    this(key, storedValue, null);
  }

  /**
   * @param generation a number that changes whenever what {@code storedValue} recognises changes;
   *     with it, texts found clean are remembered until it does
   */
  public Redactor(
      byte[] key, Predicate<String> storedValue, java.util.function.LongSupplier generation) {
    this.key = requireNonNull(key, "key").clone();
    this.storedValue = requireNonNull(storedValue, "storedValue");
    this.generation = generation;
    this.clean =
        generation == null
            ? null
            : com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000).build();
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
    return holdsSecret(value) ? hmac(value) : value;
  }

  /**
   * True when {@code text} holds a credential's shape, or is or holds as a word a stored secret's
   * value or an API key's secret part: text that must be neither kept nor repeated.
   */
  public boolean holdsSecret(String text) {
    if (text == null || text.length() < MIN_VALUE) {
      return false;
    }
    if ((text.length() >= 12 && looksLikeCredential(text)) || storedValue.test(text)) {
      return true;
    }
    if (text.length() > MAX_WORDS_TEXT || !hasSeparator(text)) {
      return false; // one word (an id, a name), looked up whole: nothing to remember
    }
    if (clean == null || text.length() > 1024) {
      return anyWordHoldsSecret(text);
    }
    long now = generation.getAsLong();
    Long seen = clean.getIfPresent(text);
    if (seen != null && seen == now) {
      return false;
    }
    boolean holds = anyWordHoldsSecret(text);
    if (!holds && generation.getAsLong() == now) {
      clean.put(text, now); // not if a value was stored meanwhile: it may be in this text
    }
    return holds;
  }

  private boolean anyWordHoldsSecret(String text) {
    if (anyWord(WHITE.split(text), text) || anyWord(PUNCTUATION.split(text), text)) {
      return true;
    }
    String decoded = percentDecoded(text);
    return !decoded.equals(text) && holdsSecret(decoded);
  }

  /** {@code text} with its percent escapes decoded (as UTF-8), or itself when it has none. */
  private static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    try {
      return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  private static boolean hasSeparator(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || c == '%'
          || PUNCTUATION_CHARS.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  private boolean anyWord(String[] words, String whole) {
    for (String w : words) {
      if (w.length() >= MIN_VALUE && storedValue.test(w)) {
        return true;
      }
    }
    return false;
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
