package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One reading of a scope everywhere. A thousand seeded pairs of a parent scope and a derive
 * request, with empty lists as likely as full ones: whenever the broker derives a child, every call
 * the proxy's own check ({@link ProxyGrants#outsideScope}) lets the child make, it lets the parent
 * make; the child's life, uses and amount fit in the parent's; and one real proxy authorization of
 * the child per pair agrees with that check.
 */
class ScopeAllowanceTest {
  static final int PAIRS = 1000;
  static final List<String> HOSTS =
      List.of("api.openai.com", "api.anthropic.com", "api.stripe.com");
  static final List<String> CHILD_HOSTS =
      List.of("api.openai.com", "api.anthropic.com", "api.stripe.com", "any.host");
  static final List<String> PREFIXES = List.of("/", "/v1", "/v1/", "/v1/chat", "/v1x", "/v2");
  static final List<String> PATHS =
      List.of("/", "/v1", "/v1/", "/v1/chat", "/v1/chat/x", "/v1x", "/v1x/y", "/v2/a", "/v3");

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void derive_randomScopePairs_proxyAllowsParentWhateverItAllowsChild(TestStore store) {
    try (TokenFixture f = new TokenFixture(Broker.start(store), TokenFixture.modelAccess())) {
      TokenService ts = f.b.core().tokens();
      int derived = 0;
      int refused = 0;
      int childCalls = 0;
      for (int pair = 0; pair < PAIRS; pair++) {
        Random rnd = new Random(pair * 7_919L + store.ordinal());
        String seed = "seed " + pair + " on " + store;
        List<String> pOps = ops(rnd, true);
        boolean parentCapsUses = rnd.nextBoolean();
        boolean parentCapsAmount = rnd.nextInt(3) == 0;
        NewScope scope =
            new NewScope(
                "s-" + pair,
                pOps,
                rnd.nextInt(5) == 0
                    ? null
                    : new NewScope.UpstreamSpec(
                        pick(rnd, HOSTS), pick(rnd, Upstream.METHODS), pick(rnd, PREFIXES)),
                (60 + rnd.nextInt(3600)) + "s",
                parentCapsUses ? 1L + rnd.nextInt(50) : null,
                parentCapsAmount ? String.valueOf(1 + rnd.nextInt(500)) : null,
                parentCapsAmount ? "amount" : null);
        f.b.core().scopes().define(f.b.root(), f.secret.id(), scope);
        IssuedToken parent =
            ts.issue(
                f.agent,
                new IssueRequest(f.secret.id(), "s-" + pair, "60s", null, "production", null),
                Optional.empty());
        DeriveRequest req =
            new DeriveRequest(
                rnd.nextInt(4) == 0 ? null : ops(rnd, false),
                rnd.nextInt(4) == 0
                    ? null
                    : new NewScope.UpstreamSpec(
                        pick(rnd, CHILD_HOSTS), pick(rnd, Upstream.METHODS), pick(rnd, PREFIXES)),
                (1 + rnd.nextInt(90)) + "s",
                rnd.nextInt(3) == 0 ? null : 1L + rnd.nextInt(60),
                rnd.nextInt(3) == 0 ? null : String.valueOf(1 + rnd.nextInt(600)),
                null,
                null);
        IssuedToken child;
        try {
          child = ts.derive(parent.token(), req, Optional.empty());
        } catch (ValidationException | TokenLimitException e) {
          refused++;
          continue;
        }
        derived++;
        VerifiedToken p = ts.proxy().verify(parent.token(), Optional.empty());
        VerifiedToken c = ts.proxy().verify(child.token(), Optional.empty());
        List<ProxyGrants.Call> allowed = new ArrayList<>();
        for (String host : CHILD_HOSTS) {
          for (String method : Upstream.METHODS) {
            for (String path : PATHS) {
              ProxyGrants.Call call = new ProxyGrants.Call(host, method, path, Optional.empty());
              if (ProxyGrants.outsideScope(c, call).isEmpty()) {
                allowed.add(call);
                assertThat(ProxyGrants.outsideScope(p, call))
                    .as("%s: the child may %s %s%s, the parent may not", seed, method, host, path)
                    .isEmpty();
              }
            }
          }
        }
        assertThat(p.operations()).as(seed).containsAll(c.operations());
        assertThat(c.expiresAt()).as(seed).isBeforeOrEqualTo(p.expiresAt());
        Grant pg = parent.grant();
        Grant cg = child.grant();
        if (pg.maxUses().isPresent()) {
          assertThat(cg.maxUses()).as(seed).isPresent();
          assertThat(cg.maxUses().get()).as(seed).isLessThanOrEqualTo(pg.maxUses().get());
        }
        if (pg.maxAmount().isPresent()) {
          assertThat(cg.maxAmount()).as(seed).isPresent();
          assertThat(cg.maxAmount().get()).as(seed).isLessThanOrEqualTo(pg.maxAmount().get());
        }
        childCalls += proxyOnce(ts, rnd, c, allowed, seed);
      }
      assertThat(derived).as("pairs derived").isGreaterThan(PAIRS / 10);
      assertThat(refused).as("pairs refused").isGreaterThan(PAIRS / 10);
      assertThat(childCalls).as("children that proxied").isGreaterThan(PAIRS / 100);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void derive_parentWithoutHosts_refusesChildNamingAHost(TestStore store) {
    NewScope noHosts =
        new NewScope(
            "model-access",
            List.of("proxy", "derive"),
            new NewScope.UpstreamSpec(List.of(), List.of("POST"), List.of()),
            "15m",
            null,
            null,
            null);
    try (TokenFixture f = new TokenFixture(Broker.start(store), noHosts)) {
      TokenService ts = f.b.core().tokens();
      IssuedToken parent = f.issue("10m");
      DeriveRequest widen =
          new DeriveRequest(
              List.of("proxy"),
              new NewScope.UpstreamSpec(List.of("any.host"), List.of("POST"), List.of("/")),
              "5m",
              null,
              null,
              null,
              null);
      assertThatThrownBy(() -> ts.derive(parent.token(), widen, Optional.empty()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("reaches no host");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void derive_childLeavesMethodsEmpty_takesParentMethods(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      TokenService ts = f.b.core().tokens();
      IssuedToken parent = f.issue("10m");
      IssuedToken child =
          ts.derive(
              parent.token(),
              new DeriveRequest(
                  null,
                  new NewScope.UpstreamSpec(List.of("api.openai.com"), List.of(), List.of()),
                  "5m",
                  null,
                  null,
                  null,
                  null),
              Optional.empty());
      assertThat(child.grant().upstream().methods()).containsExactly("GET", "POST");
      assertThat(child.grant().upstream().pathPrefixes()).containsExactly("/v1");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void amounts_hugeOrTinyExponent_refusedBeforeAnythingPrintsThem(TestStore store) {
    NewScope capped =
        new NewScope(
            "model-access",
            List.of("proxy", "derive"),
            new NewScope.UpstreamSpec(List.of("api.openai.com"), List.of(), List.of()),
            "15m",
            null,
            "100",
            "amount");
    try (TokenFixture f = new TokenFixture(Broker.start(store), capped)) {
      for (String huge : List.of("1e999999999", "1e-999999999", "1e19", "0.0000001")) {
        NewScope s =
            new NewScope(
                "s-" + Math.abs(huge.hashCode()), List.of("proxy"), null, "1m", null, huge, "a");
        assertThatThrownBy(() -> f.b.core().scopes().define(f.b.root(), f.secret.id(), s))
            .as(huge)
            .isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("max_amount"));
      }
      TokenService ts = f.b.core().tokens();
      VerifiedToken t = ts.proxy().verify(f.issue("10m").token(), Optional.empty());
      for (String huge : List.of("1e999999999", "1e-999999999")) {
        ProxyGrants.Call call =
            new ProxyGrants.Call(
                "api.openai.com", "POST", "/v1", Optional.of(new BigDecimal(huge)));
        assertThatThrownBy(() -> ts.proxy().authorize(t, call, Optional.empty()))
            .isInstanceOf(TokenLimitException.class)
            .hasMessageContaining("out of range");
      }
    }
  }

  /**
   * Authorizes one call of the child through the real proxy gate: one the check allows must be
   * granted unless the budget ran out, and one it refuses must be refused. Answers 1 when granted.
   */
  private static int proxyOnce(
      TokenService ts, Random rnd, VerifiedToken c, List<ProxyGrants.Call> allowed, String seed) {
    if (!allowed.isEmpty()) {
      ProxyGrants.Call call = allowed.get(rnd.nextInt(allowed.size()));
      ProxyGrants.Call paid =
          new ProxyGrants.Call(
              call.host(), call.method(), call.path(), Optional.of(BigDecimal.ONE));
      ts.proxy().authorize(c, paid, Optional.empty());
      return 1;
    }
    ProxyGrants.Call outside =
        new ProxyGrants.Call("any.host", "GET", "/v1", Optional.of(BigDecimal.ONE));
    if (ProxyGrants.outsideScope(c, outside).isPresent()) {
      assertThatThrownBy(() -> ts.proxy().authorize(c, outside, Optional.empty()))
          .as(seed)
          .isInstanceOf(TokenLimitException.class);
    }
    return 0;
  }

  private static List<String> ops(Random rnd, boolean parent) {
    List<String> out = new ArrayList<>();
    for (String o : List.of("proxy", "reveal", "derive")) {
      if (rnd.nextInt(parent ? 5 : 2) > 0) {
        out.add(o);
      }
    }
    if (parent && !out.contains("derive") && rnd.nextInt(4) > 0) {
      out.add("derive");
    }
    if (out.isEmpty()) {
      out.add("proxy");
    }
    return out;
  }

  /** A random sublist, empty one time in three. */
  private static List<String> pick(Random rnd, List<String> from) {
    List<String> out = new ArrayList<>();
    if (rnd.nextInt(3) == 0) {
      return out;
    }
    for (String s : from) {
      if (rnd.nextInt(3) == 0) {
        out.add(s);
      }
    }
    return out;
  }
}
