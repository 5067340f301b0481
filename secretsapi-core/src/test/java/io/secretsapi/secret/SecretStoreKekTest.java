package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which key-encryption keys the store's data keys need, as every node checks every few seconds. */
class SecretStoreKekTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void kekIdNotIn_versionsUnderSeveralKeys_findsEachKeyNotHeldAndNoneWhenAllAre(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      Broker b = f.b;
      List<Long> live =
          b.db()
              .read(
                  h ->
                      h.createQuery(
                              "SELECT kek_key_id FROM secret_versions WHERE kek_key_id IS NOT NULL"
                                  + " UNION SELECT kek_key_id FROM vault_keys"
                                  + " UNION SELECT kek_key_id FROM signing_keys")
                          .mapTo(Long.class)
                          .list());
      b.db()
          .inTransaction(
              h -> {
                // Versions wrapped under keys 5, 9 and 7 (as after rotations some nodes missed),
                // and a sealed version, which needs no key.
                long[][] rows = {{101, 5}, {102, 9}, {103, 7}, {104, 9}};
                for (long[] r : rows) {
                  h.createUpdate(
                          "INSERT INTO secret_versions (secret_id, version, state, wrapped_key,"
                              + " ciphertext, kek_key_id, masked, fingerprint, created_at)"
                              + " VALUES (:s, :v, 'retired', :w, :c, :k, 'sk-…', 'fp', 0)")
                      .bind("s", f.secret.id())
                      .bind("v", r[0])
                      .bind("w", new byte[] {1})
                      .bind("c", new byte[] {2})
                      .bind("k", r[1])
                      .execute();
                }
                h.createUpdate(
                        "INSERT INTO secret_versions (secret_id, version, state, masked,"
                            + " fingerprint, created_at) VALUES (:s, 105, 'sealed', 'sk-…', 'fp', 0)")
                    .bind("s", f.secret.id())
                    .execute();
                return null;
              });

      assertThat(notIn(b, live, 5L, 7L, 9L)).isEmpty();
      assertThat(notIn(b, live, 5L, 9L)).contains(7L);
      assertThat(notIn(b, live, 7L, 9L)).contains(5L);
      assertThat(notIn(b, live, 5L, 7L)).contains(9L);
      assertThat(notIn(b, List.of(5L, 7L, 9L)))
          .as("the keys of the broker's own rows are needed too")
          .hasValueSatisfying(id -> assertThat(live).contains(id));
    }
  }

  private static java.util.Optional<Long> notIn(Broker b, List<Long> live, Long... more) {
    List<Long> held = new ArrayList<>(live);
    held.addAll(List.of(more));
    return notIn(b, held);
  }

  private static java.util.Optional<Long> notIn(Broker b, List<Long> held) {
    return b.db().read(h -> SecretStore.kekIdNotIn(h, held));
  }
}
