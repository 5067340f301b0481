package io.secretsapi.testing;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.Caller;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.access.Scope;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The core of a broker on a fresh real database, for store tests. No HTTP. */
public final class Broker implements AutoCloseable {
  private final BrokerCore core;
  private final Database db;
  private final MutableClock clock;
  private final Envelope envelope;
  private final AccessService access;
  private final Vault vault;
  private final CleartextSecrets cleartext;
  private final IssuedApiKey rootKey;
  private final Caller root;
  private int accounts;
  private final Path kekFile;
  private final BrokerCore.Options options;

  private Broker(TestStore store, BrokerCore.Options options) {
    this.options = options;
    Path dir = TestDatabases.tempDir("broker-");
    this.kekFile = dir.resolve("kek.json");
    this.db = Database.open(store.fresh());
    this.clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    this.core =
        new BrokerCore(db, KeyEncryptionKey.loadOrCreate(dir.resolve("kek.json")), clock, options);
    this.envelope = core.envelope();
    this.access = core.access();
    this.vault = core.vault();
    this.cleartext = core.cleartext();
    this.rootKey = access.bootstrap().orElseThrow();
    this.root = access.authenticate(rootKey.plaintext());
  }

  public static Broker start(TestStore store) {
    return new Broker(store, BrokerCore.Options.defaults());
  }

  /** A broker with {@code options}, which its other nodes and restarts take too. */
  public static Broker start(TestStore store, BrokerCore.Options options) {
    return new Broker(store, options);
  }

  /** A caller of a new service account holding exactly {@code scopes}. */
  public Caller callerWith(Scope... scopes) {
    return access.authenticate(keyWith(scopes).plaintext());
  }

  /** A key of a new service account holding exactly {@code scopes}. */
  public IssuedApiKey keyWith(Scope... scopes) {
    var account = access.createServiceAccount(root, "account-" + (++accounts), "");
    List<String> names = Arrays.stream(scopes).map(Scope::wire).toList();
    return access.createKey(root, account.id(), "key", names, Optional.empty());
  }

  /** A caller of a new service account named {@code name} (a principal) holding {@code scopes}. */
  public Caller principal(String name, Scope... scopes) {
    var account = access.createServiceAccount(root, name, "");
    List<String> names = Arrays.stream(scopes).map(Scope::wire).toList();
    return access.authenticate(
        access.createKey(root, account.id(), "key", names, Optional.empty()).plaintext());
  }

  /** The whole core again over the same store and KEK file, as after a restart. */
  public BrokerCore restart() {
    return new BrokerCore(db, KeyEncryptionKey.loadOrCreate(kekFile), clock, options);
  }

  /**
   * A second node: the whole core over its own connections to the same store, with the same KEK, as
   * several brokers share one PostgreSQL. The caller closes it.
   */
  public BrokerCore otherNode() {
    return otherNode(kekFile);
  }

  /** Another node whose KEK is read from {@code keyFile} (a copy of this node's, say). */
  public BrokerCore otherNode(Path keyFile) {
    return new BrokerCore(
        Database.open(db.url()), KeyEncryptionKey.loadOrCreate(keyFile), clock, options);
  }

  /** This node's key file. */
  public Path kekFile() {
    return kekFile;
  }

  /** A new Vault over the same store and KEK, as after a restart. */
  public Vault reopenVault() {
    return new Vault(db, envelope, clock, core.audit());
  }

  /** Every feature of the core, as the server wires it. */
  public BrokerCore core() {
    return core;
  }

  /**
   * Waits until this node leads the leader-only jobs: at once on SQLite; on PostgreSQL the node
   * takes the lease on its own thread after it starts.
   */
  public BrokerCore leading() {
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!core.leadership().leads()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("this node did not take the leader's lease within 10 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the lease", e);
      }
    }
    return core;
  }

  public Database db() {
    return db;
  }

  public MutableClock clock() {
    return clock;
  }

  public Envelope envelope() {
    return envelope;
  }

  public AccessService access() {
    return access;
  }

  public Vault vault() {
    return vault;
  }

  public CleartextSecrets cleartext() {
    return cleartext;
  }

  public Caller root() {
    return root;
  }

  public IssuedApiKey rootKey() {
    return rootKey;
  }

  @Override
  public void close() {
    core.close();
  }
}
