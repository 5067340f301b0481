package io.secretsapi.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.IssueRequest;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.NewScope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 22: binding a package to an engine lets the engine's principal issue exactly the package's
 * scopes; unbinding refuses them again and revokes its live grants; a failed validation turns the
 * package's posture to Review naming the secret; bad input changes nothing.
 */
class EngineBindingTest {
  private static final Optional<String> NO_REQUEST = Optional.empty();

  /** The fixture's secret with a second scope, a second secret, an engine principal. */
  private static final class Setting implements AutoCloseable {
    final TokenFixture f;
    final Secret other;
    final Caller engineKey;
    final ServicePackage pkg;
    final Engine engine;

    Setting(TestStore store) {
      f = TokenFixture.start(store);
      Caller root = f.b.root();
      f.b.core().scopes().define(root, f.secret.id(), scope("billing-admin"));
      other =
          f.b
              .vault()
              .create(
                  root,
                  new NewSecret(
                      "stripe-prod-key",
                      "stripe",
                      "payments",
                      "production",
                      "Finance",
                      List.of(),
                      "sk_live_CANARY_0123456789abcdef",
                      null));
      f.b.core().scopes().define(root, other.id(), scope("invoice-sync"));
      engineKey = f.b.principal("pod-engine-alpha", Scope.TOKENS_ISSUE);
      pkg =
          f.b
              .core()
              .packages()
              .create(
                  root,
                  new NewPackage(
                      "Stripe + Cloudflare + Internal analytics",
                      "SaaS storefront / Stable",
                      "Finance review bundle",
                      List.of(new NewPackage.ItemSpec(f.secret.id(), "model-access"))),
                  NO_REQUEST);
      engine =
          f.b
              .core()
              .engines()
              .create(
                  root,
                  new NewEngine(
                      "POD Engine Alpha",
                      "SaaS Growth Plan",
                      "prod-node-01",
                      3,
                      6,
                      "Live frontend",
                      "Governed admin",
                      "POD Storefront Core 2026.03.1",
                      engineKey.serviceAccountId()),
                  NO_REQUEST);
    }

    IssuedToken issue(String secretId, String scope) {
      return f.b
          .core()
          .tokens()
          .issue(
              engineKey,
              new IssueRequest(secretId, scope, "5m", null, "production", null),
              NO_REQUEST);
    }

    Engine bind() {
      return f.b.core().engines().bind(f.b.root(), engine.id(), pkg.id(), NO_REQUEST);
    }

    @Override
    public void close() {
      f.close();
    }

    Engine unbind() {
      return f.b.core().engines().unbind(f.b.root(), engine.id(), pkg.id(), NO_REQUEST);
    }
  }

  private static NewScope scope(String name) {
    return new NewScope(
        name,
        List.of("proxy", "reveal"),
        new NewScope.UpstreamSpec(List.of("api.example.com"), List.of("GET"), List.of("/v1")),
        "15m",
        null,
        null,
        null);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void bind_packageScope_principalIssuesExactlyIt(TestStore store) {
    try (Setting s = new Setting(store)) {
      assertThatThrownBy(() -> s.issue(s.f.secret.id(), "model-access"))
          .isInstanceOf(PolicyDeniedException.class);

      Engine bound = s.bind();

      assertThat(bound.bindings())
          .extracting(Engine.Binding::packageId)
          .containsExactly(s.pkg.id());
      assertThat(bound.bindings().get(0).policyVersion()).isEqualTo(1);
      assertThat(bound.bindings().get(0).policyId()).isEqualTo("engine-" + s.engine.id());
      assertThat(s.issue(s.f.secret.id(), "model-access").grant().scope())
          .isEqualTo("model-access");
      assertThatThrownBy(() -> s.issue(s.f.secret.id(), "billing-admin"))
          .as("a scope of the same secret outside the package")
          .isInstanceOf(PolicyDeniedException.class);
      assertThatThrownBy(() -> s.issue(s.other.id(), "invoice-sync"))
          .as("a secret outside the package")
          .isInstanceOf(PolicyDeniedException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void unbind_liveGrant_revokedAndIssueRefused(TestStore store) {
    try (Setting s = new Setting(store)) {
      s.bind();
      IssuedToken held = s.issue(s.f.secret.id(), "model-access");
      IssuedToken agents = s.f.issue("5m"); // another principal's grant of the same secret

      Engine after = s.unbind();

      assertThat(after.bindings()).isEmpty();
      assertThatThrownBy(() -> s.issue(s.f.secret.id(), "model-access"))
          .isInstanceOf(PolicyDeniedException.class);
      var live = s.f.b.core().tokens().liveGrants(s.f.secret.id());
      assertThat(live).extracting(g -> g.id()).doesNotContain(held.grant().id());
      assertThat(live).extracting(g -> g.id()).contains(agents.grant().id());
      var policy = s.f.b.core().policies();
      String pid = "engine-" + s.engine.id();
      assertThat(policy.current(pid).version()).isEqualTo(2);
      assertThat(policy.diff(pid, 1, 2))
          .anyMatch(l -> l.startsWith("-") && l.contains("scope == 'model-access'"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void posture_failedValidation_reviewNamingTheSecret(TestStore store) {
    try (Setting s = new Setting(store)) {
      PackageService packages = s.f.b.core().packages();
      assertThat(packages.posture(s.pkg).state()).isEqualTo(Posture.REVIEW);
      assertThat(packages.posture(s.pkg).reasons().get(0).why()).contains("never been validated");

      validated(s, Validation.HEALTHY);
      assertThat(packages.posture(s.pkg)).isEqualTo(new Posture(Posture.READY, List.of()));

      validated(s, Validation.FAILED);
      Posture review = packages.posture(s.pkg);
      assertThat(review.state()).isEqualTo(Posture.REVIEW);
      assertThat(review.reasons())
          .extracting(Posture.Reason::secretId)
          .containsExactly(s.f.secret.id());
      assertThat(review.reasons().get(0).why()).contains("validation failed", "401 from provider");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void credentials_boundEngine_maskedRowsOnly(TestStore store) {
    try (Setting s = new Setting(store)) {
      s.bind();
      validated(s, Validation.FAILED);

      List<Credential> vault = s.f.b.core().engines().credentials(s.f.b.root(), s.engine.id());

      assertThat(vault).hasSize(1);
      Credential c = vault.get(0);
      assertThat(c.provider()).isEqualTo("openai");
      assertThat(c.scope()).isEqualTo("model-access");
      assertThat(c.status()).isEqualTo("Validation failed");
      assertThat(c.packages()).containsExactly(s.pkg.id());
      assertThat(c.masked()).doesNotContain("CANARY");
      assertThat(c.toString()).doesNotContain("sk-proj-CANARY-0123456789abcdef");
    }
  }

  @Test
  void badInput_eachField_namedAndNothingChanged() {
    try (Setting s = new Setting(TestStore.SQLITE)) {
      Caller root = s.f.b.root();
      PackageService packages = s.f.b.core().packages();
      EngineService engines = s.f.b.core().engines();
      assertField(
          () ->
              packages.create(
                  root,
                  new NewPackage(
                      "x", "", "", List.of(new NewPackage.ItemSpec(s.f.secret.id(), "nope"))),
                  NO_REQUEST),
          "items[0].scope");
      assertField(
          () ->
              packages.create(
                  root,
                  new NewPackage("x", "", "", List.of(new NewPackage.ItemSpec("sec_nope", "a"))),
                  NO_REQUEST),
          "items[0].secret_id");
      assertField(
          () -> packages.create(root, new NewPackage("x", "", "", List.of()), NO_REQUEST), "items");
      assertField(
          () ->
              packages.create(
                  root,
                  new NewPackage(
                      "",
                      "",
                      "",
                      List.of(new NewPackage.ItemSpec(s.f.secret.id(), "model-access"))),
                  NO_REQUEST),
          "name");
      assertField(
          () ->
              engines.create(
                  root,
                  new NewEngine("e", "", "", 0, 0, "", "", "", "sa_doesnotexist"),
                  NO_REQUEST),
          "service_account_id");
      assertField(
          () ->
              engines.create(
                  root,
                  new NewEngine("e", "", "", 7, 6, "", "", "", s.engineKey.serviceAccountId()),
                  NO_REQUEST),
          "slots_used");
      assertField(() -> engines.bind(root, s.engine.id(), "pkg_nope", NO_REQUEST), "package_id");

      assertThat(packages.list(root)).hasSize(1);
      assertThat(engines.list(root)).hasSize(1);
      assertThat(engines.get(root, s.engine.id()).bindings()).isEmpty();
      assertThatThrownBy(() -> s.f.b.core().policies().current("engine-" + s.engine.id()))
          .isInstanceOf(io.secretsapi.policy.PolicyNotFoundException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void replace_boundPackage_engineFollowsAndDroppedGrantRevoked(TestStore store) {
    try (Setting s = new Setting(store)) {
      s.bind();
      IssuedToken held = s.issue(s.f.secret.id(), "model-access");

      s.f
          .b
          .core()
          .packages()
          .replace(
              s.f.b.root(),
              s.pkg.id(),
              new NewPackage(
                  s.pkg.name(),
                  s.pkg.tier(),
                  s.pkg.reviewLane(),
                  List.of(new NewPackage.ItemSpec(s.other.id(), "invoice-sync"))),
              NO_REQUEST);

      assertThat(s.issue(s.other.id(), "invoice-sync").grant().scope()).isEqualTo("invoice-sync");
      assertThatThrownBy(() -> s.issue(s.f.secret.id(), "model-access"))
          .isInstanceOf(PolicyDeniedException.class);
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id()))
          .extracting(g -> g.id())
          .doesNotContain(held.grant().id());
      assertThat(
              s.f
                  .b
                  .core()
                  .engines()
                  .get(s.f.b.root(), s.engine.id())
                  .bindings()
                  .get(0)
                  .policyVersion())
          .isEqualTo(2);
    }
  }

  @Test
  void delete_boundPackage_refusedUntilUnbound() {
    try (Setting s = new Setting(TestStore.SQLITE)) {
      s.bind();
      PackageService packages = s.f.b.core().packages();
      assertThatThrownBy(() -> packages.delete(s.f.b.root(), s.pkg.id(), NO_REQUEST))
          .isInstanceOf(io.secretsapi.ConflictException.class);
      s.unbind();
      packages.delete(s.f.b.root(), s.pkg.id(), NO_REQUEST);
      assertThat(packages.list(s.f.b.root())).isEmpty();
    }
  }

  @Test
  void otherAccount_packagesAndEngines_notVisible() {
    try (Setting s = new Setting(TestStore.SQLITE)) {
      Caller stranger = s.f.b.callerWith(Scope.SECRETS_READ, Scope.POLICIES_WRITE);
      assertThat(s.f.b.core().packages().list(stranger)).isEmpty();
      assertThat(s.f.b.core().engines().list(stranger)).isEmpty();
      assertThatThrownBy(
              () -> s.f.b.core().engines().bind(stranger, s.engine.id(), s.pkg.id(), NO_REQUEST))
          .isInstanceOf(EngineNotFoundException.class);
    }
  }

  private static void assertField(Runnable r, String field) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  private static void validated(Setting s, String status) {
    s.f
        .b
        .db()
        .inTransaction(
            h -> {
              ValidationStore.save(
                  h,
                  new Validation(
                      s.f.secret.id(),
                      status,
                      status.equals(Validation.FAILED) ? "401 from provider" : "200 from provider",
                      Optional.of(status.equals(Validation.FAILED) ? 401 : 200),
                      "openai",
                      Optional.empty(),
                      s.f.b.clock().instant(),
                      Duration.ZERO,
                      Optional.empty(),
                      Optional.empty()));
              return null;
            });
  }

  /**
   * The review's race: a bind and an unbind of one engine at once each wrote a policy generated
   * from what it had read before the other committed, so the policy could grant a package no longer
   * bound. Now each generates its policy from the bindings its own transaction reads.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void bindAndUnbind_atOnceOnOneEngine_policyGrantsExactlyWhatIsBound(TestStore store)
      throws Exception {
    try (Setting s = new Setting(store)) {
      Caller root = s.f.b.root();
      ServicePackage second =
          s.f
              .b
              .core()
              .packages()
              .create(
                  root,
                  new NewPackage(
                      "Stripe invoices",
                      "SaaS storefront / Stable",
                      "Finance review bundle",
                      List.of(new NewPackage.ItemSpec(s.other.id(), "invoice-sync"))),
                  NO_REQUEST);
      for (int round = 0; round < 4; round++) {
        s.bind();
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
          var unbound = pool.submit(s::unbind);
          var bound =
              pool.submit(
                  () -> s.f.b.core().engines().bind(root, s.engine.id(), second.id(), NO_REQUEST));
          unbound.get(60, java.util.concurrent.TimeUnit.SECONDS);
          bound.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
          pool.shutdownNow();
        }
        assertThatThrownBy(() -> s.issue(s.f.secret.id(), "model-access"))
            .as("round %d: the unbound package grants nothing", round)
            .isInstanceOf(PolicyDeniedException.class);
        assertThat(s.issue(s.other.id(), "invoice-sync").grant().scope()).isEqualTo("invoice-sync");
        s.f.b.core().engines().unbind(root, s.engine.id(), second.id(), NO_REQUEST);
      }
    }
  }

  /**
   * The review's second race: tokens issued while the package is unbound. A token decided under the
   * engine's old policy version is not minted once the new one is written, so none outlives the
   * unbinding.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void unbind_whileThePrincipalIssues_noGrantOfThePackageOutlivesIt(TestStore store)
      throws Exception {
    try (Setting s = new Setting(store)) {
      s.bind();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      try {
        List<java.util.concurrent.Future<Integer>> issuers = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
          issuers.add(
              pool.submit(
                  () -> {
                    int n = 0;
                    while (!stop.get()) {
                      try {
                        s.issue(s.f.secret.id(), "model-access");
                        n++;
                      } catch (RuntimeException refused) {
                        // denied by the new version, or asked to ask again
                      }
                    }
                    return n;
                  }));
        }
        Thread.sleep(200);
        s.unbind();
        Thread.sleep(200);
        stop.set(true);
        for (var f : issuers) {
          f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id()))
          .filteredOn(g -> g.serviceAccountId().equals(s.engineKey.serviceAccountId()))
          .isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void unbindAndReplace_engineAccountRevoked_proceedAndGrantNothing(TestStore store) {
    try (Setting s = new Setting(store)) {
      s.bind();
      s.f.b.core().access().revokeServiceAccount(s.f.b.root(), s.engineKey.serviceAccountId());

      s.f
          .b
          .core()
          .packages()
          .replace(
              s.f.b.root(),
              s.pkg.id(),
              new NewPackage(
                  "Stripe + Cloudflare + Internal analytics",
                  "SaaS storefront / Stable",
                  "Finance review bundle",
                  List.of(new NewPackage.ItemSpec(s.f.secret.id(), "billing-admin"))),
              NO_REQUEST);
      Engine after = s.unbind();

      assertThat(after.bindings()).isEmpty();
      s.f.b.core().packages().delete(s.f.b.root(), s.pkg.id(), NO_REQUEST);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void deleteScope_bundledByAPackage_refusedNamingThePackage(TestStore store) {
    try (Setting s = new Setting(store)) {
      assertThatThrownBy(
              () -> s.f.b.core().scopes().delete(s.f.b.root(), s.f.secret.id(), "model-access"))
          .isInstanceOf(io.secretsapi.ConflictException.class)
          .hasMessageContaining(s.pkg.id());
      assertThat(s.f.b.core().scopes().list(s.f.b.root(), s.f.secret.id()))
          .extracting(io.secretsapi.token.SecretScope::name)
          .contains("model-access");
    }
  }
}
