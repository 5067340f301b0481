package io.secretsapi;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Where the next page of a listing starts: the sort key of the last row shown, bound to the listing
 * and to a fingerprint of its filters and sort. Opaque to callers (base64url of a JSON array), but
 * not a secret and not an authorization: it only positions the next read, which applies the
 * caller's visibility again. A cursor that does not decode, or that was made for another listing or
 * other filters, is refused as a {@link ValidationException} on {@code cursor}: a cursor reused
 * with other filters would otherwise skip or repeat rows without saying so.
 */
public record PageCursor(String listing, String filters, List<String> keys) {
  private static final String VERSION = "1";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_LENGTH = 2048;

  public PageCursor {
    requireNonNull(listing, "listing");
    requireNonNull(filters, "filters");
    keys = List.copyOf(keys);
  }

  /** A cursor after a row with these sort keys, in the listing named, under these filters. */
  public static PageCursor after(String listing, String filterText, Object... keys) {
    List<String> k = new ArrayList<>(keys.length);
    for (Object o : keys) {
      k.add(String.valueOf(requireNonNull(o, "key")));
    }
    return new PageCursor(listing, fingerprint(filterText), k);
  }

  /** The text a caller passes back as {@code cursor}. */
  public String encode() {
    ArrayNode a = JSON.createArrayNode().add(VERSION).add(listing).add(filters);
    keys.forEach(a::add);
    byte[] bytes = JSON.writeValueAsBytes(a);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Reads a cursor that must belong to {@code listing} under {@code filterText} and hold {@code
   * keyCount} keys; refuses any other with the rule broken: {@code format} or {@code filters}.
   */
  public static PageCursor decode(String text, String listing, String filterText, int keyCount) {
    requireNonNull(text, "text");
    JsonNode a;
    try {
      if (text.isEmpty() || text.length() > MAX_LENGTH) {
        throw new IllegalArgumentException();
      }
      a = JSON.readTree(Base64.getUrlDecoder().decode(text));
    } catch (IllegalArgumentException | JacksonException e) {
      throw bad("format", "cursor is not a cursor of this API; pass back next_cursor unchanged");
    }
    if (a == null || !a.isArray() || a.size() < 3 || !allText(a)) {
      throw bad("format", "cursor is not a cursor of this API; pass back next_cursor unchanged");
    }
    if (!VERSION.equals(a.get(0).asString())
        || !listing.equals(a.get(1).asString())
        || !fingerprint(filterText).equals(a.get(2).asString())) {
      throw bad(
          "filters",
          "cursor was made for another listing or other filters or sort; pass the same filters"
              + " as the first page, or start again without cursor");
    }
    if (a.size() != 3 + keyCount) {
      throw bad("format", "cursor is not a cursor of this API; pass back next_cursor unchanged");
    }
    List<String> keys = new ArrayList<>(keyCount);
    for (int i = 3; i < a.size(); i++) {
      keys.add(a.get(i).asString());
    }
    return new PageCursor(listing, a.get(2).asString(), keys);
  }

  /** Key {@code i} as a number; a cursor whose key is not one is refused. */
  public long longKey(int i) {
    try {
      return Long.parseLong(keys.get(i));
    } catch (NumberFormatException e) {
      throw bad("format", "cursor is not a cursor of this API; pass back next_cursor unchanged");
    }
  }

  /** Key {@code i} as text. */
  public String key(int i) {
    return keys.get(i);
  }

  private static boolean allText(JsonNode a) {
    for (JsonNode n : a) {
      if (!n.isString()) {
        return false;
      }
    }
    return true;
  }

  private static ValidationException bad(String rule, String message) {
    return new ValidationException("cursor", rule, message);
  }

  /** The first 12 bytes of SHA-256 of the filters, base64url: equal filters, equal prints. */
  private static String fingerprint(String filterText) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(filterText.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
