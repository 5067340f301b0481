package io.secretsapi.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every way an HTTP or JSON echo may spell a credential, matched over bytes.
 *
 * <p>How it works. A credential is a sequence of characters; an echo may write each character as
 * itself, percent-encoded ({@code %2F} or {@code %2f}, each UTF-8 byte), as a JSON escape ({@code
 * \/}, {@code \"}, {@code \\}, {@code \n}..., or a backslash, {@code u} and four hex digits in
 * either case, a surrogate pair beyond the BMP), or, for a space, as {@code +}. Each character of a
 * needle becomes a group of these alternatives, so mixed spellings match too. A credential that is
 * all hex digits matches in either case. Base64 (standard and URL-safe, padded or not, and so HTTP
 * basic's {@code user:key}) of any text holding the credential holds, for each of the three
 * alignments of the credential against base64's 3-byte groups, a run of characters that depends on
 * the credential alone: the encoding of the credential's bytes from its first group boundary to its
 * last. Those runs are needles too, when they are at least {@link #MIN_BASE64} characters (a
 * shorter run would match ordinary text). Built once per value; the scan is in {@link
 * StreamRedactor}.
 */
final class Echoes {
  /** The shortest base64 run taken as a needle: 6 bytes of the credential, 48 bits. */
  static final int MIN_BASE64 = 8;

  /** What {@link #match} answers when nothing matches at a position. */
  static final int NONE = -1;

  /** What {@link #match} answers when more bytes could make a match at a position. */
  static final int PARTIAL = -2;

  /**
   * The most steps one match may take (only a credential full of {@code %} or backslashes nears
   * it).
   */
  static final int STEPS = 100_000;

  /** One character of a needle: its variants (itself, or both cases), as UTF-8 and as UTF-16. */
  private record Unit(byte[][] utf8, char[][] utf16, byte[][] shortEscapes) {}

  private final Unit[][] needles;
  private int budget;
  private final int[][] byFirst = new int[256][];

  private Echoes(List<String> ordered, Set<String> runs) {
    this.needles = new Unit[ordered.size()][];
    List<List<Integer>> first = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      first.add(new ArrayList<>());
    }
    for (int i = 0; i < ordered.size(); i++) {
      String n = ordered.get(i);
      boolean eitherCase = !runs.contains(n) && n.chars().allMatch(Echoes::asciiHex);
      needles[i] = n.codePoints().mapToObj(cp -> unit(cp, eitherCase)).toArray(Unit[]::new);
      Set<Integer> starts = new LinkedHashSet<>(List.of((int) '%', (int) '\\'));
      for (byte[] b : needles[i][0].utf8()) {
        starts.add(b[0] & 0xff);
      }
      for (byte[] b : needles[i][0].shortEscapes()) {
        starts.add(b[0] & 0xff);
      }
      for (int b : starts) {
        first.get(b).add(i);
      }
    }
    for (int b = 0; b < 256; b++) {
      byFirst[b] = first.get(b).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** The needles for every spelling of every one of {@code secrets}. */
  static Echoes of(List<String> secrets) {
    Set<String> needles = new LinkedHashSet<>();
    Set<String> runs = new LinkedHashSet<>();
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        needles.add(s);
        runs.addAll(base64Runs(s.getBytes(StandardCharsets.UTF_8)));
      }
    }
    runs.removeAll(needles);
    needles.addAll(runs);
    List<String> ordered = new ArrayList<>(needles);
    ordered.sort(Comparator.comparingInt(String::length).reversed()); // the longest spelling wins
    return new Echoes(ordered, runs);
  }

  /** True when a match may begin with byte {@code b}. */
  boolean starts(byte b) {
    return byFirst[b & 0xff].length > 0;
  }

  /**
   * Where a spelling of a needle that begins at {@code p} ends (exclusive), {@link #NONE}, or
   * {@link #PARTIAL} when {@code d} ends inside what could still be one and {@code end} is not the
   * end of the stream. The longest needle that matches wins.
   */
  int match(byte[] d, int p, int end, boolean last) {
    boolean partial = false;
    for (int i : byFirst[d[p] & 0xff]) {
      budget = STEPS;
      int r = from(needles[i], 0, d, p, end);
      if (r >= 0) {
        return partial && !last ? PARTIAL : r;
      }
      partial |= r == PARTIAL;
    }
    return partial && !last ? PARTIAL : NONE;
  }

  private int from(Unit[] n, int j, byte[] d, int p, int end) {
    if (j == n.length) {
      return p;
    }
    if (p >= end) {
      return PARTIAL;
    }
    if (--budget < 0) {
      return NONE;
    }
    Unit u = n[j];
    boolean partial = false;
    for (int k = 0; k < u.utf8().length; k++) {
      for (int form = 0; form < 3; form++) {
        int len =
            switch (form) {
              case 0 -> literal(d, p, end, u.utf8()[k]);
              case 1 -> d[p] == '%' ? percent(d, p, end, u.utf8()[k]) : NONE;
              default -> d[p] == '\\' ? json(d, p, end, u.utf16()[k]) : NONE;
            };
        int r = len > 0 ? from(n, j + 1, d, p + len, end) : len;
        if (r >= 0) {
          return r;
        }
        partial |= r == PARTIAL;
      }
    }
    for (byte[] e : u.shortEscapes()) {
      int len = literal(d, p, end, e);
      int r = len > 0 ? from(n, j + 1, d, p + len, end) : len;
      if (r >= 0) {
        return r;
      }
      partial |= r == PARTIAL;
    }
    return partial ? PARTIAL : NONE;
  }

  /**
   * {@code want.length} when {@code d} holds it at {@code p}; {@link #PARTIAL} or {@link #NONE}.
   */
  private static int literal(byte[] d, int p, int end, byte[] want) {
    for (int k = 0; k < want.length; k++) {
      if (p + k >= end) {
        return PARTIAL;
      }
      if (d[p + k] != want[k]) {
        return NONE;
      }
    }
    return want.length;
  }

  /** The bytes {@code want} percent-encoded at {@code p}, hex digits in either case. */
  private static int percent(byte[] d, int p, int end, byte[] want) {
    for (int k = 0; k < want.length; k++) {
      int at = p + 3 * k;
      int r = escape(d, at, end, '%', 1, want[k] & 0xff, 2);
      if (r != 0) {
        return r;
      }
    }
    return 3 * want.length;
  }

  /** The UTF-16 units {@code want} as JSON escapes of four hex digits at {@code p}. */
  private static int json(byte[] d, int p, int end, char[] want) {
    for (int k = 0; k < want.length; k++) {
      int at = p + 6 * k;
      int r = escape(d, at, end, '\\', 2, want[k], 4);
      if (r != 0) {
        return r;
      }
    }
    return 6 * want.length;
  }

  /**
   * 0 when {@code d} holds at {@code at} the escape of {@code value} ({@code lead}, a {@code u}
   * when {@code head} is 2, then {@code digits} hex digits); else {@link #PARTIAL} or {@link
   * #NONE}.
   */
  private static int escape(byte[] d, int at, int end, char lead, int head, int value, int digits) {
    for (int i = 0; i < head + digits; i++) {
      if (at + i >= end) {
        return PARTIAL;
      }
      int b = d[at + i];
      boolean ok =
          i == 0
              ? b == lead
              : i < head
                  ? b == 'u'
                  : Character.digit(b, 16) == ((value >> (4 * (head + digits - 1 - i))) & 0xf);
      if (!ok) {
        return NONE;
      }
    }
    return 0;
  }

  private static Unit unit(int cp, boolean eitherCase) {
    Set<Integer> variants = new LinkedHashSet<>(List.of(cp));
    if (eitherCase) {
      variants.add(Character.toLowerCase(cp));
      variants.add(Character.toUpperCase(cp));
    }
    byte[][] utf8 = new byte[variants.size()][];
    char[][] utf16 = new char[variants.size()][];
    int k = 0;
    for (int v : variants) {
      utf16[k] = Character.toChars(v);
      utf8[k++] = new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8);
    }
    String shortEscape =
        switch (cp) {
          case '/' -> "\\/";
          case '"' -> "\\\"";
          case '\\' -> "\\\\";
          case '\b' -> "\\b";
          case '\f' -> "\\f";
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\t' -> "\\t";
          case ' ' -> "+";
          default -> null;
        };
    byte[][] escapes =
        shortEscape == null
            ? new byte[0][]
            : new byte[][] {shortEscape.getBytes(StandardCharsets.US_ASCII)};
    return new Unit(utf8, utf16, escapes);
  }

  /** For each alignment, the base64 (standard, URL-safe) of the bytes between group boundaries. */
  static List<String> base64Runs(byte[] key) {
    List<String> runs = new ArrayList<>();
    for (int skip = 0; skip < 3; skip++) {
      int usable = (key.length - skip) / 3 * 3;
      if (usable / 3 * 4 >= MIN_BASE64) {
        String std =
            Base64.getEncoder().encodeToString(Arrays.copyOfRange(key, skip, skip + usable));
        runs.add(std);
        runs.add(std.replace('+', '-').replace('/', '_'));
      }
    }
    return runs;
  }

  private static boolean asciiHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
