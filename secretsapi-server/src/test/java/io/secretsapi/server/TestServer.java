package io.secretsapi.server;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A real broker on a loopback port over a fresh real database, registered by the same route code as
 * production, with a client holding the root key.
 */
public final class TestServer implements AutoCloseable {
  private final Server server;
  private final String rootKey;
  private final Path dir;
  private int accounts;

  private final Map<String, String> config;

  private TestServer(TestStore store, Map<String, String> extra) {
    this(store.freshUrl(), extra);
  }

  private TestServer(String storeUrl, Map<String, String> extra) {
    this.dir = TestDatabases.tempDir("server-");
    Map<String, String> o = new HashMap<>();
    o.put("listen", "127.0.0.1:0");
    o.put("store.url", storeUrl);
    o.put("kek.file", dir.resolve("kek.json").toString());
    o.putAll(extra);
    this.config = Map.copyOf(o);
    this.server = Server.start(ServerConfig.load(Optional.empty(), Map.of(), o));
    this.rootKey = server.rootKey().orElseThrow().plaintext();
  }

  private TestServer(TestServer first, Map<String, String> config) {
    this.dir = first.dir;
    this.config = Map.copyOf(config);
    this.server = Server.start(ServerConfig.load(Optional.empty(), Map.of(), config));
    this.rootKey = first.rootKey;
  }

  /** Another broker node on the same store and key file, with the same configuration. */
  public TestServer otherNode() {
    return new TestServer(this, config);
  }

  /** Another broker node on the same store, reading a copy of the key file, as another machine. */
  public TestServer otherNodeWithCopyOfKeyFile() throws java.io.IOException {
    Path copy = TestDatabases.tempDir("server-kek-").resolve("kek.json");
    java.nio.file.Files.copy(dir.resolve("kek.json"), copy);
    Map<String, String> c = new HashMap<>(config);
    c.put("kek.file", copy.toString());
    return new TestServer(this, c);
  }

  public static TestServer start(TestStore store) {
    return new TestServer(store, Map.of());
  }

  public static TestServer start(TestStore store, Map<String, String> config) {
    return new TestServer(store, config);
  }

  /** A broker on the given store (a database of the test's own, say). */
  public static TestServer onStore(String storeUrl, Map<String, String> config) {
    return new TestServer(storeUrl, config);
  }

  /**
   * The HttpClient of every client this server hands out: it checks each answer against the
   * broker's own /openapi.json and fails the test on a mismatch.
   */
  private final java.net.http.HttpClient http =
      new ValidatingHttpClient(
          java.net.http.HttpClient.newBuilder()
              .connectTimeout(java.time.Duration.ofSeconds(5))
              .build(),
          () -> contract());

  /** The broker's API description, as the answers of this server's clients are checked against. */
  ApiContract contract() {
    return ApiContract.of(server.openApi());
  }

  /** A client with the root (admin) key. */
  public SecretsApiClient root() {
    return SecretsApiClient.create(server.baseUrl(), rootKey, http);
  }

  /** Every audit record in the store, as stored (canonical JSON). */
  public java.util.List<String> auditRecords() {
    return server
        .database()
        .read(h -> h.createQuery("SELECT record FROM audit_records").mapTo(String.class).list());
  }

  /**
   * Runs the exposure evaluation now, as the node's job does every second: scores, history and
   * threshold crossings without waiting for it.
   */
  public void evaluateExposure() {
    server.core().exposure().evaluate();
  }

  /** A client with no key. */
  public SecretsApiClient anonymous() {
    return SecretsApiClient.create(server.baseUrl(), null, http);
  }

  public String rootKey() {
    return rootKey;
  }

  /** A client of a new service account whose key holds exactly {@code scopes}. */
  public SecretsApiClient accountWith(String... scopes) {
    JsonNode account = root().createServiceAccount("account-" + (++accounts), "test account");
    JsonNode key =
        root()
            .createApiKey(
                Map.of(
                    "service_account_id",
                    account.get("id").asString(),
                    "name",
                    "test",
                    "scopes",
                    List.of(scopes)));
    return root().withKey(key.get("key").asString());
  }

  public Server server() {
    return server;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    server.close();
  }
}
