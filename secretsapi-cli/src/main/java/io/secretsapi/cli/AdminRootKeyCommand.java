package io.secretsapi.cli;

import io.secretsapi.BrokerCore;
import io.secretsapi.SecretsApiException;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.server.ServerConfig;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.StoreUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code secretsapi admin root-key}: mints a new admin key straight in the store, for an operator
 * who lost the root key. Like Vault's {@code operator generate-root}, which needs the unseal keys,
 * it needs the key-encryption key: it opens the store's sealed signing keys with it before it
 * mints, and records the new key in the audit trail.
 */
@Command(
    name = "root-key",
    mixinStandardHelpOptions = true,
    description = {
      "Mint a new admin API key offline, for an operator who lost the root key.",
      "Needs the store and the key-encryption key the broker uses (the same --dev or --config).",
      "With SQLite, stop the broker first: it holds the store file. With PostgreSQL, the brokers"
          + " may run; they accept the new key at once.",
      "The key is printed once and recorded in the audit trail (key.create by operator)."
    })
final class AdminRootKeyCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  Where where;

  static final class Where {
    @Option(
        names = "--dev",
        required = true,
        description = "The store and key file of `server --dev`: ./data")
    boolean dev;

    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "The broker's configuration file (YAML), with its SECRETSAPI_* overrides")
    Path config;
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ServerConfig cfg =
        ServerConfig.load(Optional.ofNullable(where.config), System.getenv(), Map.of());
    StoreUrl url = StoreUrl.parse(cfg.storeUrl());
    Optional<Path> file = url.sqlitePath();
    if (file.isPresent() && !Files.exists(file.get())) {
      throw CliException.usage(
          "no store at "
              + file.get()
              + " (store.url): a broker makes the root key on its first start there");
    }
    KeyEncryptionKey kek = cfg.kek(false);
    Database db;
    try {
      db = Database.open(url, cfg.storeOptions());
    } catch (RuntimeException e) {
      throw new CliException(
          CliException.REFUSED,
          "cannot open the store "
              + url
              + (url.dialect() == Dialect.SQLITE
                  ? ": is a broker running on it? Stop it first; it holds the SQLite file ("
                  : " (")
              + rootCause(e)
              + ")");
    }
    try {
      long signingKeys =
          db.read(h -> h.createQuery("SELECT count(*) FROM signing_keys").mapTo(Long.class).one());
      if (signingKeys == 0) {
        throw CliException.usage(
            "no broker has started on this store yet: `secretsapi server` makes the root key on"
                + " its first start");
      }
      IssuedApiKey key;
      // opening the core opens every sealed signing key: the KEK is the store's, or this fails
      try (BrokerCore core = openCore(db, kek, cfg)) {
        key = core.access().mintRootKey("operator");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "New admin API key for " + key.key().serviceAccountId() + ". It is shown once, now:");
      out.println();
      out.println("  " + key.plaintext());
      out.println();
      out.println("  export SECRETSAPI_TOKEN=" + key.plaintext());
      out.flush();
      return 0;
    } finally {
      db.close();
    }
  }

  private static BrokerCore openCore(Database db, KeyEncryptionKey kek, ServerConfig cfg) {
    try {
      return new BrokerCore(db, kek, Clock.systemUTC(), cfg.coreOptions());
    } catch (SecretsApiException e) {
      throw new CliException(
          CliException.REFUSED,
          "the key-encryption key "
              + kek.file().map(Path::toString).orElse("in SECRETSAPI_KEK")
              + " does not open this store ("
              + e.getMessage()
              + "); give the one the broker uses");
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
