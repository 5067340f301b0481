package io.secretsapi.secret;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.Database;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keyed fingerprints of every unsealed secret version, held in memory (no value is), so that
 * the audit trail can tell a stored secret value pasted into a caller's field and hash it. New
 * values are added as they are stored; other nodes' arrive as they announce them ({@link #learn})
 * and with the periodic {@link #refresh()}.
 */
final class StoredValues {
  private final Database db;
  private final Masking masking;
  private volatile Set<String> fingerprints = Set.of();
  private volatile long generation;

  StoredValues(Database db, Masking masking) {
    this.db = requireNonNull(db, "db");
    this.masking = requireNonNull(masking, "masking");
    refresh();
  }

  /** A number that changes whenever the set of known values does. */
  long generation() {
    return generation;
  }

  boolean contains(String candidate) {
    return fingerprints.contains(masking.fingerprint(candidate));
  }

  /** The fingerprint of a value being stored, now known. */
  String add(String value) {
    String fingerprint = masking.fingerprint(value);
    addAll(List.of(fingerprint));
    return fingerprint;
  }

  /**
   * Adds the fingerprints of one secret's unsealed versions, stored by another node. Versions
   * sealed since stay known until the next {@link #refresh()}: redacting a former value is
   * harmless.
   */
  void learn(String secretId) {
    addAll(
        db.read(
            h ->
                h.createQuery(
                        "SELECT fingerprint FROM secret_versions WHERE secret_id = :id AND state <> 'sealed'")
                    .bind("id", secretId)
                    .mapTo(String.class)
                    .list()));
  }

  private synchronized void addAll(List<String> more) {
    if (fingerprints.containsAll(more)) {
      return;
    }
    Set<String> next = new HashSet<>(fingerprints);
    next.addAll(more);
    fingerprints = Set.copyOf(next);
    generation++;
  }

  /** Reloads every fingerprint; holds off {@link #add} meanwhile, so that none is lost. */
  synchronized void refresh() {
    Set<String> now =
        Set.copyOf(
            db.read(
                h ->
                    h.createQuery("SELECT fingerprint FROM secret_versions WHERE state <> 'sealed'")
                        .mapTo(String.class)
                        .list()));
    if (!now.equals(fingerprints)) {
      fingerprints = now;
      generation++;
    }
  }
}
