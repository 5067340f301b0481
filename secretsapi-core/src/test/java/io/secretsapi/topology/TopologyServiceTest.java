package io.secretsapi.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.access.Scope;
import io.secretsapi.exposure.ExposureSettings;
import io.secretsapi.incident.NewIncident;
import io.secretsapi.rotation.RotationSettings;
import io.secretsapi.rotation.Trigger;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.NewScope;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The topology of issue 21: a resource's state follows an open incident, an exposure crossing, a
 * queued rotation, calls in the last minute and a validation, in that precedence; trust zones are
 * set, replaced and deleted; bad input changes nothing; a key sees only what its account reaches.
 */
class TopologyServiceTest {
  private static final String HOST = "api.openai.com";

  private static Resource node(TokenFixture f, Caller who, String host) {
    return f.b.core().topology().topology(who).zones().stream()
        .flatMap(z -> z.resources().stream())
        .filter(r -> r.name().equals(host))
        .findFirst()
        .orElseThrow(() -> new AssertionError(host + " not in the topology"));
  }

  private static Resource node(TokenFixture f) {
    return node(f, f.b.root(), HOST);
  }

  private static Map<String, List<String>> zones(Topology t) {
    return t.zones().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                Topology.Zone::name, z -> z.resources().stream().map(Resource::name).toList()));
  }

  private static void validated(TokenFixture f, String status) {
    f.b
        .db()
        .inTransaction(
            h -> {
              ValidationStore.save(
                  h,
                  new Validation(
                      f.secret.id(),
                      status,
                      "probe",
                      Optional.of(200),
                      "openai",
                      Optional.empty(),
                      f.b.clock().instant(),
                      Duration.ZERO,
                      Optional.empty(),
                      Optional.empty()));
              return null;
            });
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void topology_eachFactInTurn_stateFollowsInPrecedence(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      Resource fresh = node(f);
      assertThat(fresh.state()).isEqualTo(ResourceState.SCOPED);
      assertThat(fresh.reason()).contains("not validated");
      assertThat(fresh.secrets()).extracting(Resource.SecretRef::id).containsExactly(f.secret.id());
      assertThat(fresh.secrets().get(0).scopes()).containsExactly("model-access");
      assertThat(fresh.resourceClasses()).containsExactly("model-access");
      assertThat(fresh.ratePerMinute()).isZero();

      validated(f, Validation.HEALTHY);
      assertThat(node(f).state()).isEqualTo(ResourceState.VERIFIED);
      validated(f, Validation.FAILED);
      assertThat(node(f).state()).isEqualTo(ResourceState.SCOPED);
      assertThat(node(f).reason()).contains("failed");
      validated(f, Validation.HEALTHY);

      f.issue("5m");
      f.issue("5m");
      Resource active = node(f);
      assertThat(active.state()).isEqualTo(ResourceState.ACTIVE);
      assertThat(active.ratePerMinute()).isEqualTo(2);
      assertThat(active.reason()).isEqualTo("2 calls in the last minute on this node");
      f.b.clock().advance(Duration.ofSeconds(61));
      assertThat(node(f).ratePerMinute()).isZero();
      assertThat(node(f).state()).isEqualTo(ResourceState.VERIFIED);

      f.b
          .core()
          .rotations()
          .configure(
              f.b.root(),
              f.secret.id(),
              new RotationSettings.Input(
                  "generated", "1h", null, null, null, null, null, null, null, null));
      var rotation =
          f.b
              .core()
              .rotations()
              .queue(
                  f.b.root(), f.secret.id(), Trigger.OPERATOR, "topology test", Optional.empty());
      f.issue("5m");
      Resource rotating = node(f);
      assertThat(rotating.state()).isEqualTo(ResourceState.ROTATING);
      assertThat(rotating.reason()).contains(rotation.id(), "queued", f.secret.id());

      var exposure = f.b.core().exposure();
      exposure.configure(new ExposureSettings(true, Duration.ofSeconds(10), 0.15, "rotate"));
      for (int i = 0; i < 20; i++) {
        f.issue("5m");
      }
      exposure.evaluate();
      Resource exposed = node(f);
      assertThat(exposed.state()).isEqualTo(ResourceState.EXPOSED);
      assertThat(exposed.reason()).contains(f.secret.id(), "exposure threshold");

      var incident =
          f.b
              .core()
              .incidents()
              .open(
                  f.b.root(),
                  new NewIncident(f.secret.id(), null, "key seen in a public repository"),
                  Optional.empty());
      Resource blocked = node(f);
      assertThat(blocked.state()).isEqualTo(ResourceState.BLOCKED);
      assertThat(blocked.reason())
          .isEqualTo("blocked by " + incident.id() + " on " + f.secret.id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void setZone_setReplaceDelete_resourcesMoveAndUnassign(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      TopologyService t = f.b.core().topology();
      t.setZone(f.b.root(), "trust-boundary-02", "model providers", List.of("API.OpenAI.com"));
      Topology one = t.topology(f.b.root());
      assertThat(zones(one))
          .containsEntry("trust-boundary-02", List.of(HOST))
          .containsEntry(Topology.UNASSIGNED, List.of());
      assertThat(one.zones().get(0).description()).isEqualTo("model providers");
      assertThat(one.nodes()).isEqualTo(1);

      t.setZone(f.b.root(), "zone-04", "pii", List.of(HOST, "customer-db.internal"));
      Topology moved = t.topology(f.b.root());
      assertThat(zones(moved))
          .containsEntry("trust-boundary-02", List.of())
          .containsEntry("zone-04", List.of(HOST, "customer-db.internal"));
      assertThat(node(f, f.b.root(), "customer-db.internal").reason())
          .isEqualTo("no scope of an active secret names it");

      t.setZone(f.b.root(), "zone-04", "pii, replaced", List.of("customer-db.internal"));
      assertThat(zones(t.topology(f.b.root())))
          .containsEntry("zone-04", List.of("customer-db.internal"))
          .containsEntry(Topology.UNASSIGNED, List.of(HOST));

      t.deleteZone(f.b.root(), "zone-04");
      t.deleteZone(f.b.root(), "trust-boundary-02");
      assertThat(zones(t.topology(f.b.root())))
          .containsOnlyKeys(Topology.UNASSIGNED)
          .containsEntry(Topology.UNASSIGNED, List.of(HOST));
      assertThatThrownBy(() -> t.deleteZone(f.b.root(), "zone-04"))
          .isInstanceOf(ZoneNotFoundException.class);
      List<String> types =
          f.b
              .db()
              .read(
                  h ->
                      h.createQuery(
                              "SELECT type FROM audit_records WHERE type LIKE 'topology.%'"
                                  + " ORDER BY audit_offset")
                          .mapTo(String.class)
                          .list());
      assertThat(types)
          .containsExactly(
              "topology.zone_set",
              "topology.zone_set",
              "topology.zone_set",
              "topology.zone_delete",
              "topology.zone_delete");
      String reason =
          f.b
              .db()
              .read(
                  h ->
                      h.createQuery(
                              "SELECT reason FROM audit_records WHERE type = 'topology.zone_set'"
                                  + " ORDER BY audit_offset")
                          .mapTo(String.class)
                          .list()
                          .get(1));
      assertThat(reason).contains("zone-04", HOST + " moved from trust-boundary-02");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void assign_manyAtOnceToOneZone_everyResourceLandsAndTheDescriptionIsKept(TestStore store)
      throws Exception {
    try (TokenFixture f = TokenFixture.start(store)) {
      TopologyService t = f.b.core().topology();
      t.setZone(f.b.root(), "zone-04", "pii", List.of());
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<TrustZone>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
          String host = "db-" + i + ".internal";
          done.add(pool.submit(() -> t.assign(f.b.root(), "zone-04", "", host)));
        }
        for (var d : done) {
          d.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      TrustZone z =
          t.zones(f.b.root()).stream()
              .filter(x -> x.name().equals("zone-04"))
              .findFirst()
              .orElseThrow();
      assertThat(z.resources()).hasSize(16);
      assertThat(z.description()).isEqualTo("pii");
      assertThatThrownBy(() -> t.assign(f.b.root(), "zone-04", "", "a b"))
          .isInstanceOf(ValidationException.class)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("resources[0]");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void setZone_badInput_refusedNamingTheFieldAndNothingChanged(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      TopologyService t = f.b.core().topology();
      t.setZone(f.b.root(), "zone-04", "pii", List.of(HOST));
      Map<String, List<String>> before = zones(t.topology(f.b.root()));
      Map<String, Runnable> bad =
          Map.of(
              "name", () -> t.setZone(f.b.root(), "Zone 04", "", List.of()),
              "name ", () -> t.setZone(f.b.root(), Topology.UNASSIGNED, "", List.of()),
              "resources[1]", () -> t.setZone(f.b.root(), "zone-04", "", List.of("a.b", "a b")),
              "resources[1] ", () -> t.setZone(f.b.root(), "zone-04", "", List.of("a.b", "A.b")),
              "resources", () -> t.setZone(f.b.root(), "zone-04", "", null),
              "description", () -> t.setZone(f.b.root(), "zone-04", "x\u0000", List.of()));
      bad.forEach(
          (field, call) ->
              assertThatThrownBy(call::run)
                  .as(field)
                  .isInstanceOfSatisfying(
                      ValidationException.class,
                      e -> assertThat(e.field()).isEqualTo(field.strip())));
      Caller reader = f.b.callerWith(Scope.SECRETS_READ);
      assertThatThrownBy(() -> t.setZone(reader, "zone-05", "", List.of()))
          .isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> t.deleteZone(reader, "zone-04"))
          .isInstanceOf(PermissionDeniedException.class);
      assertThat(zones(t.topology(f.b.root()))).isEqualTo(before);
      assertThat(t.zones(f.b.root())).extracting(TrustZone::description).containsExactly("pii");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void topology_nonAdminKey_seesOnlyWhatItsAccountReaches(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      Caller other = f.b.callerWith(Scope.SECRETS_READ, Scope.SECRETS_WRITE, Scope.POLICIES_WRITE);
      Secret own =
          f.b
              .vault()
              .create(
                  other,
                  new NewSecret(
                      "stripe-prod-key",
                      "stripe",
                      "payments",
                      "production",
                      "Payments",
                      List.of(),
                      "sk_live_CANARY_0123456789abcdef",
                      null));
      f.b
          .core()
          .scopes()
          .define(
              other,
              own.id(),
              new NewScope(
                  "charges",
                  List.of("proxy"),
                  new NewScope.UpstreamSpec(
                      Arrays.asList("api.stripe.com", HOST), List.of("POST"), List.of()),
                  "5m",
                  null,
                  null,
                  null));
      f.b.core().topology().setZone(other, "zone-04", "payments", List.of("api.stripe.com"));
      f.b.core().topology().setZone(f.b.root(), "model", "models", List.of("api.anthropic.com"));

      Topology mine = f.b.core().topology().topology(other);
      assertThat(zones(mine))
          .containsEntry("zone-04", List.of("api.stripe.com"))
          .containsEntry("model", List.of())
          .containsEntry(Topology.UNASSIGNED, List.of(HOST));
      assertThat(mine.nodes()).isEqualTo(2);
      Resource shared = node(f, other, HOST);
      assertThat(shared.secrets()).extracting(Resource.SecretRef::id).containsExactly(own.id());
      assertThat(mine.toString()).doesNotContain(f.secret.id()).doesNotContain("CANARY");

      Resource both = node(f, f.b.root(), HOST);
      assertThat(both.secrets())
          .extracting(Resource.SecretRef::id)
          .containsExactlyInAnyOrder(f.secret.id(), own.id());
      assertThat(both.resourceClasses()).containsExactly("model-access", "payments");
      assertThat(f.b.core().topology().topology(f.b.root()).nodes()).isEqualTo(3);
    }
  }

  @Test
  void accessRates_proxyRecordReason_countsItsHostLowercase() {
    assertThat(AccessRates.hostOf("POST API.openai.com/v1/chat")).isEqualTo(HOST);
    assertThat(AccessRates.hostOf("GET 127.0.0.1:8443/")).isEqualTo("127.0.0.1:8443");
    assertThat(AccessRates.hostOf("nothing")).isNull();
  }
}
