package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Jdbc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends audit records inside the caller's transaction, so that a record exists exactly when the
 * change it describes does. The offset is the record's place in the trail; {@code AU-} plus the
 * offset is the {@code audit_ref} the API answers with.
 *
 * <p>How the chain works: the chain head (last offset and last leaf hash) is read under a lock (a
 * row lock on PostgreSQL; SQLite's write transaction is already exclusive), so offsets are gap-free
 * and the chain never forks, whichever node appends. The record, including the previous leaf hash
 * as {@code prev}, is stored in RFC 8785 canonical JSON, and its leaf hash is SHA-256 of 0x00
 * followed by those bytes, as RFC 9162 hashes Merkle leaves. Changing, dropping or reordering any
 * record breaks every link after it; {@link AuditVerifier} names the first.
 */
public final class AuditLog {
  /** The {@code prev} of the first record. */
  public static final String GENESIS = "0".repeat(64);

  private static final JsonMapper SORTED =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
  private final Clock clock;
  private final Dialect dialect;
  private final Redactor redactor;
  private final String headQuery;
  private volatile Runnable onAppend = () -> {};
  private volatile Serving serving = (h, secretId) -> Map.of();
  private volatile java.util.function.Consumer<AuditEntry> onRecord = e -> {};
  private volatile java.util.List<java.util.function.Consumer<AuditEntry>> followers =
      java.util.List.of();

  public AuditLog(Clock clock, Dialect dialect, Redactor redactor) {
    this.clock = requireNonNull(clock, "clock");
    this.dialect = requireNonNull(dialect, "dialect");
    this.redactor = requireNonNull(redactor, "redactor");
    this.headQuery =
        "SELECT last_offset, last_hash FROM audit_head WHERE id = 1"
            + (dialect == Dialect.POSTGRES ? " FOR UPDATE" : "");
  }

  public Redactor redactor() {
    return redactor;
  }

  /** Called after each append (before its commit): wakes the event feed. Must not block. */
  public void onAppend(Runnable listener) {
    this.onAppend = requireNonNull(listener, "listener");
  }

  /**
   * Called with each appended entry (before its commit, on the appending thread, usually the group
   * commit's writer), after the {@link Origin} filled it: the exposure counters. Must not block.
   */
  public void onRecord(java.util.function.Consumer<AuditEntry> listener) {
    this.onRecord = requireNonNull(listener, "listener");
  }

  /**
   * Adds a listener called with each appended entry, after {@link #onRecord}'s and on the same
   * thread: the topology's access rates. Listeners added stay; each must not block.
   */
  public synchronized void follow(java.util.function.Consumer<AuditEntry> listener) {
    java.util.List<java.util.function.Consumer<AuditEntry>> next =
        new java.util.ArrayList<>(followers);
    next.add(requireNonNull(listener, "listener"));
    followers = java.util.List.copyOf(next);
  }

  /**
   * Appends {@code e} on {@code h} and answers its offset. The request id, source address and route
   * of the thread's {@link Origin} fill whatever {@code e} leaves empty, and every caller-supplied
   * string passes through the {@link Redactor}.
   */
  public long append(Handle h, AuditEntry e) {
    return append(h, prepare(served(h, e)));
  }

  /**
   * What a record of a secret's lifecycle names besides the secret: the ids of the packages that
   * bundle it and the engines bound to them, read on the appending transaction (design 0034).
   */
  @FunctionalInterface
  public interface Serving {
    /** The details for a record of {@code secretId}, by name; empty when it serves nothing. */
    Map<String, java.util.List<String>> of(Handle h, String secretId);
  }

  /** Sets what names the packages and engines a secret serves ({@link #servedBy}). */
  public void serving(Serving lookup) {
    this.serving = requireNonNull(lookup, "lookup");
  }

  /**
   * True for the record types that name the packages and engines their secret serves: the rotation
   * engine's {@code rotation.*}, and {@code secret.rotate}, {@code secret.stage}, {@code
   * secret.seal} and {@code secret.validate}. Every other record (a token's, a request's) costs no
   * lookup.
   */
  public static boolean servedBy(String type) {
    return type.startsWith("rotation.")
        || switch (type) {
          case "secret.rotate", "secret.stage", "secret.seal", "secret.validate" -> true;
          default -> false;
        };
  }

  private AuditEntry served(Handle h, AuditEntry e) {
    if (!servedBy(e.type()) || e.secretId().isEmpty()) {
      return e;
    }
    return e.withDetails(serving.of(h, e.secretId().get()));
  }

  /**
   * Makes {@code given} ready for the chain on the calling thread: the thread's {@link Origin}
   * fills what it leaves empty, caller-supplied strings are scrubbed, and every member of the
   * canonical record but {@code offset}, {@code prev} and {@code time} is rendered. Hot paths call
   * this before they queue their write, so that the one writer thread only links, hashes and
   * inserts.
   */
  public Prepared prepare(AuditEntry given) {
    Origin origin = Origin.current();
    AuditEntry e = scrubbed(withOrigin(given, origin));
    return new Prepared(e, origin, Members.of(e));
  }

  /** Appends an entry made ready by {@link #prepare} on {@code h} and answers its offset. */
  public long append(Handle h, Prepared p) {
    AuditEntry e = p.entry();
    var head =
        Jdbc.first(h, headQuery, rs -> Map.entry(rs.getLong(1), rs.getString(2)))
            .orElseThrow(() -> new IllegalStateException("the audit chain has no head row"));
    long offset = head.getKey() + 1;
    long at = clock.millis();
    String canonical = p.members().record(offset, at, head.getValue());
    String leaf = leafHash(canonical);
    Jdbc.update(
        h,
        "INSERT INTO audit_records (audit_offset, recorded_at, type, actor, subject, secret_id, token_id,"
            + " scope, policy_id, policy_version, policy_rule, decision, reason, environment, request_id, record,"
            + " prev_hash, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        offset,
        at,
        e.type(),
        e.actor(),
        e.subject().orElse(null),
        e.secretId().orElse(null),
        e.tokenId().orElse(null),
        e.scope().orElse(null),
        e.policy().map(AuditEntry.PolicyRef::id).orElse(null),
        e.policy().map(AuditEntry.PolicyRef::version).orElse(null),
        e.policy().map(AuditEntry.PolicyRef::rule).orElse(null),
        e.decision(),
        e.reason(),
        e.environment().orElse(null),
        e.requestId().orElse(null),
        canonical,
        head.getValue(),
        leaf);
    Jdbc.update(
        h, "UPDATE audit_head SET last_offset = ?, last_hash = ? WHERE id = 1", offset, leaf);
    p.origin().noteRecorded(offset);
    onAppend.run();
    onRecord.accept(e);
    java.util.List<java.util.function.Consumer<AuditEntry>> fs = followers;
    for (int i = 0; i < fs.size(); i++) {
      fs.get(i).accept(e);
    }
    return offset;
  }

  /**
   * An entry ready for the chain: scrubbed, with its origin, and its members rendered. Only {@link
   * #prepare} makes one, so nothing reaches the chain unscrubbed or in a form not canonical.
   */
  public static final class Prepared {
    private final AuditEntry entry;
    private final Origin origin;
    private final Members members;

    private Prepared(AuditEntry entry, Origin origin, Members members) {
      this.entry = entry;
      this.origin = origin;
      this.members = members;
    }

    AuditEntry entry() {
      return entry;
    }

    Origin origin() {
      return origin;
    }

    Members members() {
      return members;
    }
  }

  /**
   * The canonical record without its chain members. RFC 8785 sorts members by key; the chain's
   * {@code offset}, {@code prev} and {@code time} fall between fixed groups of the others, so each
   * group is rendered once as canonical members and the record is their concatenation around the
   * three chain members: the same bytes as {@link #canonical} of {@link #record}.
   */
  record Members(String beforeOffset, String beforePrev, String beforeTime, String rest) {
    static Members of(AuditEntry e) {
      Map<String, Object> m = fields(e);
      return new Members(
          group(m, "actor", "decision", "details", "environment", "hashed"),
          group(m, "policy"),
          group(
              m,
              "reason",
              "request_id",
              "route",
              "scope",
              "secret_id",
              "source",
              "status",
              "subject"),
          group(m, "token_id", "type"));
    }

    private static String group(Map<String, Object> all, String... keys) {
      Map<String, Object> g = new java.util.TreeMap<>();
      for (String k : keys) {
        if (all.containsKey(k)) { // details is absent, not null, when a record has none
          g.put(k, all.get(k));
        }
      }
      String object = canonical(g);
      return object.substring(1, object.length() - 1);
    }

    /** The canonical record at {@code offset}, recorded at {@code at}, linked to {@code prev}. */
    String record(long offset, long at, String prev) {
      String time = Instant.ofEpochMilli(at).toString();
      StringBuilder b =
          new StringBuilder(
              beforeOffset.length()
                  + beforePrev.length()
                  + beforeTime.length()
                  + rest.length()
                  + 160);
      return b.append('{')
          .append(beforeOffset)
          .append(",\"offset\":")
          .append(offset)
          .append(',')
          .append(beforePrev)
          .append(",\"prev\":\"")
          .append(prev)
          .append("\",")
          .append(beforeTime)
          .append(",\"time\":\"")
          .append(time)
          .append("\",")
          .append(rest)
          .append('}')
          .toString();
    }
  }

  private static AuditEntry withOrigin(AuditEntry e, Origin o) {
    if (o == Origin.NONE) {
      return e;
    }
    return new AuditEntry(
        e.type(),
        e.actor(),
        e.subject(),
        e.secretId(),
        e.tokenId(),
        e.scope(),
        e.policy(),
        e.decision(),
        e.reason(),
        e.environment(),
        e.requestId().or(o::requestId),
        e.source().or(o::source),
        e.route().or(o::route),
        e.status(),
        e.hashed(),
        e.details());
  }

  private AuditEntry scrubbed(AuditEntry e) {
    return new AuditEntry(
        e.type(),
        redactor.scrub(e.actor()),
        e.subject().map(redactor::scrub),
        e.secretId().map(redactor::scrub),
        e.tokenId().map(redactor::scrub),
        e.scope().map(redactor::scrub),
        e.policy(),
        e.decision(),
        redactor.scrub(e.reason()),
        e.environment().map(redactor::scrub),
        e.requestId().map(redactor::scrub),
        e.source(),
        e.route(),
        e.status(),
        e.hashed(),
        e.details());
  }

  /** The record as it is hashed: every field, absent ones as null, and the previous leaf hash. */
  public static Map<String, Object> record(long offset, long at, AuditEntry e, String prev) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offset", offset);
    m.put("time", Instant.ofEpochMilli(at).toString());
    m.putAll(fields(e));
    m.put("prev", prev);
    return m;
  }

  private static Map<String, Object> fields(AuditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", e.type());
    m.put("actor", e.actor());
    m.put("subject", e.subject().orElse(null));
    m.put("secret_id", e.secretId().orElse(null));
    m.put("token_id", e.tokenId().orElse(null));
    m.put("scope", e.scope().orElse(null));
    m.put(
        "policy",
        e.policy()
            .map(p -> Map.of("id", p.id(), "version", p.version(), "rule", p.rule()))
            .orElse(null));
    m.put("decision", e.decision());
    m.put("reason", e.reason());
    m.put("environment", e.environment().orElse(null));
    m.put("request_id", e.requestId().orElse(null));
    m.put("source", e.source().orElse(null));
    m.put("route", e.route().orElse(null));
    m.put("status", e.status().orElse(null));
    m.put("hashed", e.hashed().isEmpty() ? null : new java.util.TreeMap<>(e.hashed()));
    if (!e.details().isEmpty()) {
      m.put("details", e.details());
    }
    return m;
  }

  /** RFC 8785 canonical JSON of {@code value}. */
  public static String canonical(Object value) {
    String json = SORTED.writeValueAsString(value);
    // Sorted maps of ASCII strings and integers come out of Jackson already canonical; the
    // one-pass check proves it, and anything it cannot prove goes through the full canonicalizer.
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (CanonicalCheck.of(bytes, 0, bytes.length) != null) {
      return json;
    }
    try {
      return new JsonCanonicalizer(json).getEncodedString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot canonicalize an audit record", e);
    }
  }

  /** RFC 9162 leaf hash of a canonical record, in hex. */
  public static String leafHash(String canonical) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((byte) 0x00);
      return HexFormat.of().formatHex(d.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The reference the API shows for an offset. */
  public static String ref(long offset) {
    return "AU-" + offset;
  }
}
