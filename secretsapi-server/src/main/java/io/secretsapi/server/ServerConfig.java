package io.secretsapi.server;

import io.secretsapi.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The broker's configuration: defaults, then one YAML file, then {@code SECRETSAPI_*} environment
 * variables, each key overriding the one before. A key {@code store.url} is overridden by {@code
 * SECRETSAPI_STORE_URL}. Unknown keys in the file are refused, so a typo never goes unnoticed.
 * {@link #toString()} hides the KEK and any database password.
 */
public final class ServerConfig {
  /** Every key the file may hold, with its default. */
  static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("listen", "127.0.0.1:8200");
    d.put("store.url", "sqlite:./data/secretsapi.db");
    d.put("kek.file", "./data/kek.json");
    d.put("tls.cert_file", "");
    d.put("tls.key_file", "");
    d.put("limits.max_body_bytes", "65536");
    d.put("jobs.seal_interval", "5s");
    d.put("cluster.leader_lease", "10s");
    d.put("tokens.max_depth", "4");
    d.put("http.virtual_threads", "true");
    d.put("events.buffer", "8192");
    d.put("proxy.insecure_upstreams", "");
    d.put("proxy.timeout", "120s");
    d.put("store.timeout", "2s");
    d.put("store.lock_timeout", "10s");
    d.put("store.sqlite_exclusive", "true");
    d.put("proxy.max_body_bytes", "10485760");
    d.put("validation.base_urls", "");
    d.put("validation.rotation_period", "90d");
    d.put("webhooks.allow_internal", "false");
    d.put("webhooks.first_retry", "1s");
    d.put("attestation.issuer", "");
    d.put("attestation.audience", "");
    d.put("attestation.jwks_file", "");
    d.put("attestation.jwks_url", "");
    d.put("console.environment", "");
    d.put("console.region", "");
    d.put("console.session_idle", "15m");
    d.put("console.session_max", "8h");
    d.put("exposure.enabled", "true");
    d.put("exposure.window", "60s");
    d.put("exposure.threshold", "0.8");
    d.put("exposure.action", "rotate");
    DEFAULTS = java.util.Collections.unmodifiableMap(d);
  }

  private final Map<String, String> values;
  private final Optional<String> kekJson;

  private ServerConfig(Map<String, String> values, Optional<String> kekJson) {
    this.values = values;
    this.kekJson = kekJson;
  }

  /** Defaults overridden by the environment only. */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    return load(Optional.empty(), env, Map.of());
  }

  /**
   * Loads the configuration.
   *
   * @param file the YAML file, when one is given
   * @param env the environment (System.getenv() in production)
   * @param overrides last-word values, such as those a test sets
   */
  public static ServerConfig load(
      Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    file.ifPresent(f -> v.putAll(readFile(f)));
    for (String key : DEFAULTS.keySet()) {
      String envName = envName(key);
      if (env.containsKey(envName)) {
        v.put(key, env.get(envName));
      }
    }
    for (var e : overrides.entrySet()) {
      requireKnown(e.getKey(), "override");
      v.put(e.getKey(), e.getValue());
    }
    Optional<String> kek = Optional.ofNullable(env.get("SECRETSAPI_KEK")).filter(s -> !s.isBlank());
    ServerConfig c = new ServerConfig(v, kek);
    c.validate();
    return c;
  }

  static String envName(String key) {
    return "SECRETSAPI_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> readFile(Path f) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(f));
    } catch (tools.jackson.core.JacksonException e) {
      // The parser's own message may quote the file near the fault, and the file may hold a
      // database password: say where, not what.
      var at = e.getLocation();
      throw new ValidationException(
          "config",
          "yaml",
          "config file "
              + f
              + " is not valid YAML"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException | RuntimeException e) {
      throw new ValidationException("config", "read", "cannot read config file " + f);
    }
    Map<String, String> flat = new TreeMap<>();
    if (root != null && !root.isNull() && !root.isMissingNode()) {
      if (!root.isObject()) {
        throw new ValidationException(
            "config", "yaml", "config file " + f + " must be a YAML mapping");
      }
      flatten("", root, flat);
    }
    flat.keySet().forEach(k -> requireKnown(k, "config file " + f));
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    for (var e : node.properties()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        flatten(key, e.getValue(), out);
      } else {
        out.put(key, e.getValue().isNull() ? "" : e.getValue().asString());
      }
    }
  }

  private static void requireKnown(String key, String origin) {
    if (!DEFAULTS.containsKey(key)) {
      throw new ValidationException(
          key,
          "unknown_key",
          "unknown configuration key "
              + key
              + " in "
              + origin
              + "; known keys: "
              + String.join(", ", DEFAULTS.keySet()));
    }
  }

  private void validate() {
    listenPort();
    maxBodyBytes();
    if (tlsCertFile().isPresent() != tlsKeyFile().isPresent()) {
      throw new ValidationException(
          "tls", "pair", "tls.cert_file and tls.key_file must be set together");
    }
    io.secretsapi.Durations.parse("jobs.seal_interval", values.get("jobs.seal_interval"));
    maxDepth();
    eventBuffer();
    webhooksFirstRetry();
    leaderLease();
    proxyTimeout();
    storeOptions();
    proxyMaxBodyBytes();
    validationBaseUrls();
    validationRotationPeriod();
    flag("webhooks.allow_internal");
    virtualThreads();
    consoleOptions();
    exposureSettings();
  }

  /** How exposure is scored (docs/exposure.md): on or off, the window, the default threshold. */
  public io.secretsapi.exposure.ExposureSettings exposureSettings() {
    double threshold;
    try {
      threshold = Double.parseDouble(values.get("exposure.threshold"));
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "exposure.threshold", "number", "exposure.threshold must be a number above 0, at most 1");
    }
    return new io.secretsapi.exposure.ExposureSettings(
        flag("exposure.enabled"),
        io.secretsapi.Durations.parse("exposure.window", values.get("exposure.window")),
        threshold,
        values.get("exposure.action"));
  }

  /**
   * What the operator console takes from this configuration: the environment and region its header
   * band names (empty: not shown), and how long a session lasts idle (1s to 24h) and at most (no
   * shorter than idle, at most 7d).
   */
  public io.secretsapi.server.console.ConsoleOptions consoleOptions() {
    java.time.Duration idle =
        io.secretsapi.Durations.parse("console.session_idle", values.get("console.session_idle"));
    if (idle.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || idle.compareTo(java.time.Duration.ofHours(24)) > 0) {
      throw new ValidationException(
          "console.session_idle", "range", "console.session_idle must be 1s to 24h");
    }
    java.time.Duration max =
        io.secretsapi.Durations.parse("console.session_max", values.get("console.session_max"));
    if (max.compareTo(idle) < 0 || max.compareTo(java.time.Duration.ofDays(7)) > 0) {
      throw new ValidationException(
          "console.session_max",
          "range",
          "console.session_max must be at least console.session_idle and at most 7d");
    }
    return new io.secretsapi.server.console.ConsoleOptions(
        values.get("console.environment").trim(),
        values.get("console.region").trim(),
        idle,
        max,
        tlsCertFile().isPresent());
  }

  public String listenHost() {
    String l = values.get("listen");
    int colon = l.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : l.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  public int listenPort() {
    String l = values.get("listen");
    try {
      int port = Integer.parseInt(l.substring(l.lastIndexOf(':') + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "listen", "host_port", "listen must be HOST:PORT, such as 127.0.0.1:8200");
    }
  }

  public String storeUrl() {
    return values.get("store.url");
  }

  public Path kekFile() {
    return Path.of(values.get("kek.file"));
  }

  /**
   * The key-encryption key: from {@code SECRETSAPI_KEK}, else from the key file.
   *
   * @param create whether to create the key file when it does not exist (a first start does; an
   *     offline command that must prove it holds the store's KEK does not)
   */
  public io.secretsapi.crypto.KeyEncryptionKey kek(boolean create) {
    if (kekJson.isPresent()) {
      return io.secretsapi.crypto.KeyEncryptionKey.fromJson(kekJson.get(), "SECRETSAPI_KEK");
    }
    Path file = kekFile();
    if (!create && !java.nio.file.Files.exists(file)) {
      throw new io.secretsapi.crypto.KeyMaterialException(
          "no key-encryption key at " + file.toAbsolutePath().normalize() + " (kek.file)", null);
    }
    return create
        ? io.secretsapi.crypto.KeyEncryptionKey.loadOrCreate(file)
        : io.secretsapi.crypto.KeyEncryptionKey.load(file);
  }

  /** What the broker's core takes from this configuration. */
  public io.secretsapi.BrokerCore.Options coreOptions() {
    return new io.secretsapi.BrokerCore.Options(
        attestations(), maxDepth(), eventBuffer(), webhooksAllowInternal(), leaderLease());
  }

  /** The KEK keyset given in {@code SECRETSAPI_KEK}, which wins over the key file. */
  public Optional<String> kekJson() {
    return kekJson;
  }

  public Optional<Path> tlsCertFile() {
    return Optional.of(values.get("tls.cert_file")).filter(s -> !s.isBlank()).map(Path::of);
  }

  public Optional<Path> tlsKeyFile() {
    return Optional.of(values.get("tls.key_file")).filter(s -> !s.isBlank()).map(Path::of);
  }

  public long maxBodyBytes() {
    try {
      long n = Long.parseLong(values.get("limits.max_body_bytes"));
      if (n < 1024 || n > 64L * 1024 * 1024) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "limits.max_body_bytes", "range", "limits.max_body_bytes must be 1024 to 67108864");
    }
  }

  public java.time.Duration sealInterval() {
    return io.secretsapi.Durations.parse("jobs.seal_interval", values.get("jobs.seal_interval"));
  }

  /** Whether requests run on virtual threads (on Java 21 and newer; Jetty's pool otherwise). */
  public boolean virtualThreads() {
    String v = values.get("http.virtual_threads");
    if (!v.equals("true") && !v.equals("false")) {
      throw new ValidationException(
          "http.virtual_threads", "boolean", "http.virtual_threads must be true or false");
    }
    return v.equals("true") && Runtime.version().feature() >= 21;
  }

  /**
   * Upstream hosts ({@code host} or {@code host:port}) the proxy may reach on internal addresses
   * and over plain HTTP: local upstreams and tests. Empty by default.
   */
  public java.util.Set<String> proxyInsecureUpstreams() {
    String v = values.get("proxy.insecure_upstreams").trim();
    if (v.isEmpty()) {
      return java.util.Set.of();
    }
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (String h : v.split(",")) {
      out.add(h.trim().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /**
   * Base URLs of the validation presets, as {@code provider=url} pairs separated by commas, such as
   * {@code openai=http://127.0.0.1:9001}: for tests and gateways.
   */
  public java.util.Map<String, String> validationBaseUrls() {
    String v = values.get("validation.base_urls").trim();
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    if (v.isEmpty()) {
      return out;
    }
    for (String pair : v.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 1 || !pair.substring(eq + 1).trim().matches("https?://[^/\\s]+")) {
        throw new ValidationException(
            "validation.base_urls",
            "format",
            "validation.base_urls must be provider=http(s)://host[:port] pairs, comma separated");
      }
      out.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), pair.substring(eq + 1).trim());
    }
    return out;
  }

  /** How old a current version may be before validation reports {@code rotation due}. */
  public java.time.Duration validationRotationPeriod() {
    return io.secretsapi.Durations.parse(
        "validation.rotation_period", values.get("validation.rotation_period"));
  }

  /** The largest request body the proxy forwards (model prompts can be large). */
  public long proxyMaxBodyBytes() {
    try {
      long n = Long.parseLong(values.get("proxy.max_body_bytes"));
      if (n < 1024 || n > 256L * 1024 * 1024) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "proxy.max_body_bytes", "range", "proxy.max_body_bytes must be 1024 to 268435456");
    }
  }

  /**
   * How long callers wait for the store: {@code store.timeout} for a connection or for a write to
   * start (250 ms to 60 s), {@code store.lock_timeout} for another process's lock on an SQLite file
   * (0 to 5 minutes), {@code store.sqlite_exclusive} whether the broker holds an SQLite file alone.
   */
  public io.secretsapi.storage.Database.Options storeOptions() {
    java.time.Duration timeout =
        io.secretsapi.Durations.parse("store.timeout", values.get("store.timeout"));
    if (timeout.compareTo(java.time.Duration.ofMillis(250)) < 0
        || timeout.compareTo(java.time.Duration.ofSeconds(60)) > 0) {
      throw new ValidationException("store.timeout", "range", "store.timeout must be 250ms to 60s");
    }
    java.time.Duration lock =
        io.secretsapi.Durations.parse("store.lock_timeout", values.get("store.lock_timeout"));
    if (lock.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
      throw new ValidationException(
          "store.lock_timeout", "range", "store.lock_timeout must be 0s to 5m");
    }
    return new io.secretsapi.storage.Database.Options(
        timeout, lock, flag("store.sqlite_exclusive"));
  }

  /** How long one proxied call may take, streaming included. */
  public java.time.Duration proxyTimeout() {
    return io.secretsapi.Durations.parse("proxy.timeout", values.get("proxy.timeout"));
  }

  /**
   * How long the leader's lease lasts unrenewed (1s to 5m): the longest the other nodes of a shared
   * PostgreSQL wait for a leader that stopped answering before one of them leads.
   */
  public java.time.Duration leaderLease() {
    java.time.Duration d =
        io.secretsapi.Durations.parse("cluster.leader_lease", values.get("cluster.leader_lease"));
    if (d.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || d.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
      throw new ValidationException(
          "cluster.leader_lease", "range", "cluster.leader_lease must be 1s to 5m");
    }
    return d;
  }

  /** Whether webhooks may be delivered to loopback and private addresses. */
  public boolean webhooksAllowInternal() {
    return flag("webhooks.allow_internal");
  }

  /** The wait before the first retry of a failed webhook delivery; it doubles on each retry. */
  public java.time.Duration webhooksFirstRetry() {
    return io.secretsapi.Durations.parse(
        "webhooks.first_retry", values.get("webhooks.first_retry"));
  }

  private boolean flag(String key) {
    String v = values.get(key);
    if (!v.equals("true") && !v.equals("false")) {
      throw new ValidationException(key, "boolean", key + " must be true or false");
    }
    return v.equals("true");
  }

  /** How many recent events the live buffer holds (16 to 1,048,576). */
  public int eventBuffer() {
    try {
      int n = Integer.parseInt(values.get("events.buffer"));
      if (n < 16 || n > 1 << 20) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "events.buffer", "range", "events.buffer must be 16 to 1048576 events");
    }
  }

  /** How deep token derivations may go (1 to 16). */
  public int maxDepth() {
    try {
      int d = Integer.parseInt(values.get("tokens.max_depth"));
      if (d < 1 || d > 16) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "tokens.max_depth", "range", "tokens.max_depth must be 1 to 16");
    }
  }

  /** The workload identity issuer that attestations are checked against, when configured. */
  public io.secretsapi.policy.Attestations attestations() {
    String issuer = values.get("attestation.issuer");
    if (issuer.isBlank()) {
      return io.secretsapi.policy.Attestations.none();
    }
    String audience = values.get("attestation.audience");
    String file = values.get("attestation.jwks_file");
    String url = values.get("attestation.jwks_url");
    if (audience.isBlank() || (file.isBlank() == url.isBlank())) {
      throw new ValidationException(
          "attestation",
          "incomplete",
          "attestation.issuer needs attestation.audience and one of attestation.jwks_file or attestation.jwks_url");
    }
    try {
      return io.secretsapi.policy.Attestations.of(
          issuer,
          audience,
          file.isBlank() ? Optional.empty() : Optional.of(Path.of(file)),
          url.isBlank() ? Optional.empty() : Optional.of(java.net.URI.create(url).toURL()));
    } catch (java.net.MalformedURLException | IllegalArgumentException e) {
      throw new ValidationException(
          "attestation", "jwks", "cannot load the attestation keys: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    shown.put("store.url", io.secretsapi.storage.StoreUrl.parse(storeUrl()).toString());
    if (kekJson.isPresent()) {
      shown.put("kek", "<from SECRETSAPI_KEK>");
    }
    return "ServerConfig" + shown;
  }
}
