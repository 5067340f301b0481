package io.secretsapi.secret;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.Database;
import java.util.HashSet;
import java.util.Set;

/**
 * The keyed fingerprints of every unsealed secret version, held in memory (no value is), so that
 * the audit trail can tell a stored secret value pasted into a caller's field and hash it. New
 * values are added as they are stored; other nodes' arrive with {@link #refresh()}.
 */
final class StoredValues {
  private final Database db;
  private final Masking masking;
  private volatile Set<String> fingerprints = Set.of();

  StoredValues(Database db, Masking masking) {
    this.db = requireNonNull(db, "db");
    this.masking = requireNonNull(masking, "masking");
    refresh();
  }

  boolean contains(String candidate) {
    return fingerprints.contains(masking.fingerprint(candidate));
  }

  /** The fingerprint of a value being stored, now known. */
  String add(String value) {
    String fingerprint = masking.fingerprint(value);
    Set<String> more = new HashSet<>(fingerprints);
    more.add(fingerprint);
    fingerprints = Set.copyOf(more);
    return fingerprint;
  }

  void refresh() {
    fingerprints =
        Set.copyOf(
            db.read(
                h ->
                    h.createQuery("SELECT fingerprint FROM secret_versions WHERE state <> 'sealed'")
                        .mapTo(String.class)
                        .list()));
  }
}
