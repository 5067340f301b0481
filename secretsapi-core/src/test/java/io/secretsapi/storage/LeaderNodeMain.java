package io.secretsapi.storage;

import io.secretsapi.BrokerCore;
import io.secretsapi.crypto.KeyEncryptionKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A broker node in a JVM of its own, for {@link LeaderFreezeTest}: it runs the node's periodic work
 * ten times a second (the server does it every second) and prints {@code LEADERNODE leading term N}
 * or {@code LEADERNODE not leading} each time that changes.
 *
 * <p>Arguments: the store URL, the KEK file, the leader lease in milliseconds.
 */
public final class LeaderNodeMain {
  static final String PREFIX = "LEADERNODE ";

  private LeaderNodeMain() {}

  public static void main(String[] args) throws Exception {
    Database db = Database.open(StoreUrl.parse(args[0]));
    BrokerCore core =
        new BrokerCore(
            db,
            KeyEncryptionKey.loadOrCreate(Path.of(args[1])),
            Clock.systemUTC(),
            BrokerCore.Options.defaults()
                .withLeaderLease(Duration.ofMillis(Long.parseLong(args[2]))));
    String was = "";
    while (true) {
      var term = core.leadership().term();
      String now = term.isPresent() ? "leading term " + term.getAsLong() : "not leading";
      if (!now.equals(was)) {
        System.out.println(PREFIX + now);
        System.out.flush();
        was = now;
      }
      try {
        core.tick();
      } catch (RuntimeException e) {
        System.out.println(PREFIX + "tick failed: " + e);
      }
      Thread.sleep(100);
    }
  }
}
