package io.secretsapi.storage;

import static io.secretsapi.storage.LeaderTest.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.BrokerCore;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, point 4: a leader paused with SIGSTOP keeps its PostgreSQL sessions (its kernel still
 * answers keepalives), yet it must be replaced within the lease, and sign nothing as leader once
 * resumed.
 */
class LeaderFreezeTest {
  private static final Duration LEASE = Duration.ofSeconds(3);

  @Test
  void leads_leaderFrozenBySigstop_otherLeadsWithinTheLeaseAndTheResumedOneSignsNothing()
      throws Exception {
    String url = TestStore.POSTGRES.freshUrl();
    Path kek = TestDatabases.tempDir("freeze-").resolve("kek.json");
    KeyEncryptionKey.loadOrCreate(kek);
    Database db = Database.open(StoreUrl.parse(url)); // migrated before the other node starts
    List<String> out = new CopyOnWriteArrayList<>();
    Process frozen = startNode(url, kek, out);
    BrokerCore node = null;
    try {
      assertThat(within(60_000, () -> term(out) > 0))
          .as("the node started first leads: %s", out)
          .isTrue();
      long frozenTerm = term(out);
      node =
          new BrokerCore(
              db,
              KeyEncryptionKey.loadOrCreate(kek),
              Clock.systemUTC(),
              BrokerCore.Options.defaults().withLeaderLease(LEASE));
      BrokerCore here = node;
      grow(db, here);
      assertThat(within(10_000, () -> signedBy(db, frozenTerm, 0) > 0))
          .as("the leader signs checkpoints")
          .isTrue();
      assertThat(here.leadership().leads()).isFalse();

      signal("STOP", frozen);
      long stoppedAt = System.nanoTime();
      assertThat(within(5_000, () -> stopped(frozen))).as("every thread stopped").isTrue();
      long headAtStop = head(db); // it can sign no more than this, were it to sign
      boolean took =
          within(
              LEASE.toMillis() + 5_000,
              () -> {
                grow(db, here);
                return here.leadership().leads();
              });
      Duration tookAfter = Duration.ofNanos(System.nanoTime() - stoppedAt);
      assertThat(took).as("the other node leads").isTrue();
      assertThat(tookAfter)
          .as("within the lease, give or take a poll")
          .isLessThan(LEASE.plusMillis(1_000));
      long signedAsFrozenLeader = signedBy(db, frozenTerm, 0);
      long ourTerm = here.leadership().term().getAsLong();
      assertThat(ourTerm).isGreaterThan(frozenTerm);

      grow(db, here);
      here.tick();
      assertThat(signedBy(db, ourTerm, headAtStop)).as("checkpoints continue").isPositive();

      signal("CONT", frozen);
      assertThat(within(5_000, () -> out.contains(LeaderNodeMain.PREFIX + "not leading")))
          .as("the resumed node knows it does not lead: %s", out)
          .isTrue();
      long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < until) { // it ticks 20 times meanwhile, with a trail to sign
        grow(db, here);
        here.tick();
        Thread.sleep(100);
      }

      assertThat(signedBy(db, frozenTerm, 0))
          .as("the resumed node signed nothing as leader: %s", out)
          .isEqualTo(signedAsFrozenLeader);
      assertThat(signedBy(db, frozenTerm, headAtStop))
          .as("head at stop %d; checkpoints %s; node %s", headAtStop, rows(db), out)
          .isZero();
      assertThat(here.leadership().leads()).isTrue();
      assertThat(out.stream().filter(l -> l.startsWith(LeaderNodeMain.PREFIX + "leading")))
          .as("it never led again")
          .hasSize(1);
      long head = head(db);
      assertThat(signedBy(db, ourTerm, head - 1))
          .as("the new leader signs the whole trail")
          .isOne();
    } finally {
      frozen.destroyForcibly(); // SIGKILL ends a stopped process too
      frozen.waitFor();
      if (node != null) {
        node.close();
      } else {
        db.close();
      }
    }
  }

  private static Process startNode(String url, Path kek, List<String> out) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LeaderNodeMain.class.getName(),
                url,
                kek.toString(),
                String.valueOf(LEASE.toMillis()))
            .redirectErrorStream(true)
            .start();
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  out.add(line);
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            },
            "leader-node-output");
    drain.setDaemon(true);
    drain.start();
    return p;
  }

  /** The term the other JVM printed it leads, or 0. */
  private static long term(List<String> out) {
    String leading = LeaderNodeMain.PREFIX + "leading term ";
    return out.stream()
        .filter(l -> l.startsWith(leading))
        .mapToLong(l -> Long.parseLong(l.substring(leading.length()).trim()))
        .findFirst()
        .orElse(0);
  }

  private static void signal(String name, Process p) throws Exception {
    Process kill =
        new ProcessBuilder("sh", "-c", "kill -" + name + " " + p.pid()).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s", name).isZero();
  }

  /** Whether every thread of {@code p} is stopped, as {@code /proc} tells (state {@code T}). */
  private static boolean stopped(Process p) {
    Path tasks = Path.of("/proc", String.valueOf(p.pid()), "task");
    try (var threads = java.nio.file.Files.list(tasks)) {
      return threads.allMatch(
          t -> {
            try {
              String stat = java.nio.file.Files.readString(t.resolve("stat"));
              return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
            } catch (java.io.IOException e) {
              return true; // the thread ended
            }
          });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void grow(Database db, BrokerCore core) {
    db.inTransaction(
        h -> core.audit().append(h, AuditEntry.of("test", "freeze-test", "done").build()));
  }

  private static long head(Database db) {
    return db.read(
        h ->
            h.createQuery("SELECT last_offset FROM audit_head WHERE id = 1")
                .mapTo(Long.class)
                .one());
  }

  private static List<String> rows(Database db) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT tree_size || ' by ' || coalesce(leader_epoch, -1) || ' at ' || created_at"
                        + " FROM audit_checkpoints ORDER BY tree_size")
                .mapTo(String.class)
                .list());
  }

  /** Checkpoints signed by the leader of {@code term} over more than {@code above} records. */
  private static long signedBy(Database db, long term, long above) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM audit_checkpoints WHERE leader_epoch = :t"
                        + " AND tree_size > :above")
                .bind("t", term)
                .bind("above", above)
                .mapTo(Long.class)
                .one());
  }
}
