package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void load_fileThenEnvironment_environmentWins() throws Exception {
    Path f = TestDatabases.tempDir("config-").resolve("secretsapi.yaml");
    Files.writeString(
        f,
        "listen: 0.0.0.0:9000\nstore:\n  url: sqlite:/var/lib/secretsapi/broker.db\nlimits:\n  max_body_bytes: 131072\n");
    ServerConfig c =
        ServerConfig.load(
            Optional.of(f),
            Map.of("SECRETSAPI_STORE_URL", "postgresql://u:pw@db:5432/secrets"),
            Map.of());
    assertThat(c.listenHost()).isEqualTo("0.0.0.0");
    assertThat(c.listenPort()).isEqualTo(9000);
    assertThat(c.maxBodyBytes()).isEqualTo(131072);
    assertThat(c.storeUrl()).isEqualTo("postgresql://u:pw@db:5432/secrets");
    assertThat(c.toString()).doesNotContain("pw");
  }

  @Test
  void load_unknownKey_isRefusedNamingIt() throws Exception {
    Path f = TestDatabases.tempDir("config-").resolve("secretsapi.yaml");
    Files.writeString(f, "store:\n  uri: sqlite:x.db\n");
    assertThatThrownBy(() -> ServerConfig.load(Optional.of(f), Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo("store.uri"));
  }

  @Test
  void load_kekFromEnvironment_isNeverPrinted() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of("SECRETSAPI_KEK", "{\"primaryKeyId\":1}"));
    assertThat(c.kekJson()).isPresent();
    assertThat(c.toString()).doesNotContain("primaryKeyId");
  }

  @Test
  void load_badListenAddress_namesTheKey() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SECRETSAPI_LISTEN", "localhost")))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo("listen"));
  }

  @Test
  void leaderLease_fromEnvironment_defaultTenSecondsAndRangeChecked() {
    assertThat(ServerConfig.fromEnvironment(Map.of()).leaderLease())
        .isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(
            ServerConfig.fromEnvironment(Map.of("SECRETSAPI_CLUSTER_LEADER_LEASE", "3s"))
                .leaderLease())
        .isEqualTo(java.time.Duration.ofSeconds(3));
    assertThatThrownBy(
            () -> ServerConfig.fromEnvironment(Map.of("SECRETSAPI_CLUSTER_LEADER_LEASE", "500ms")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("cluster.leader_lease"));
  }
}
