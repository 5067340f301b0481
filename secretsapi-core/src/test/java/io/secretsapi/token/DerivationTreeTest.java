package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random derivation trees from fixed seeds: 10 batches of 100 trees per store. A model predicts
 * whether each derive request fits its parent; the broker must agree, and no child may outlive,
 * out-scope or out-spend its parent. Then one random node is revoked: it and every descendant go
 * inactive, and every other token stays active.
 */
class DerivationTreeTest {
  static final int TREES_PER_BATCH = 100;
  static final List<String> HOSTS =
      List.of("api.openai.com", "api.anthropic.com", "api.stripe.com");
  static final List<String> METHODS = List.of("GET", "POST", "DELETE");
  static final List<String> PREFIXES = List.of("/v1", "/v1/chat", "/v1/models", "/v2");

  static Stream<Arguments> batches() {
    return Stream.of(TestStore.values())
        .flatMap(s -> Stream.iterate(0, i -> i + 1).limit(10).map(i -> Arguments.of(s, i)));
  }

  /** The model of one token. */
  record Node(
      IssuedToken t,
      Node parent,
      Set<Operation> ops,
      Upstream up,
      Instant exp,
      long maxUses,
      BigDecimal maxAmount,
      long[] usesReserved,
      BigDecimal[] amountReserved,
      int depth) {}

  @ParameterizedTest(name = "{0} batch {1}")
  @MethodSource("batches")
  void randomTrees_childrenStayWithinParentsAndRevocationCascadesExactly(
      TestStore store, int batch) {
    NewScope scope =
        new NewScope(
            "model-access",
            List.of("proxy", "reveal", "derive"),
            new NewScope.UpstreamSpec(HOSTS, METHODS, List.of("/v1", "/v2")),
            "1h",
            1000L,
            "5000",
            "amount");
    try (TokenFixture f = new TokenFixture(Broker.start(store), scope)) {
      TokenService ts = f.b.core().tokens();
      int derived = 0;
      for (int tree = 0; tree < TREES_PER_BATCH; tree++) {
        long seed = batch * 1_000_003L + tree;
        Random rnd = new Random(seed);
        IssuedToken root = f.issue((600 + rnd.nextInt(3000)) + "s");
        List<Node> nodes = new ArrayList<>();
        nodes.add(
            new Node(
                root,
                null,
                root.grant().operations(),
                root.grant().upstream(),
                root.grant().expiresAt(),
                1000,
                new BigDecimal("5000"),
                new long[1],
                new BigDecimal[] {BigDecimal.ZERO},
                0));
        int attempts = 3 + rnd.nextInt(10);
        for (int a = 0; a < attempts; a++) {
          f.b.clock().advance(Duration.ofSeconds(rnd.nextInt(90)));
          Node parent = nodes.get(rnd.nextInt(nodes.size()));
          attempt(ts, f, rnd, parent, nodes, seed);
        }
        checkRevocation(ts, f, rnd, nodes, seed);
        derived += nodes.size() - 1;
      }
      assertThat(derived).as("children derived in the batch").isGreaterThan(TREES_PER_BATCH);
    }
  }

  private static void attempt(
      TokenService ts, TokenFixture f, Random rnd, Node parent, List<Node> nodes, long seed) {
    Instant now = f.b.clock().instant();
    Set<Operation> ops = EnumSet.noneOf(Operation.class);
    for (Operation o : Operation.values()) {
      if (rnd.nextInt(3) > 0) {
        ops.add(o);
      }
    }
    if (ops.isEmpty()) {
      ops.add(Operation.REVEAL);
    }
    List<String> hosts = pick(rnd, HOSTS, 1);
    List<String> methods = pick(rnd, METHODS, 1);
    List<String> prefixes = pick(rnd, PREFIXES, 1);
    Upstream up = Upstream.of("upstream", hosts, methods, prefixes);
    long ttl = 1 + rnd.nextInt(2400);
    long uses = 1 + rnd.nextInt(400);
    BigDecimal amount = BigDecimal.valueOf(1 + rnd.nextInt(2000));
    long usesLeft = parent.maxUses - parent.usesReserved[0];
    BigDecimal amountLeft = parent.maxAmount.subtract(parent.amountReserved[0]);
    boolean parentLive =
        now.isBefore(parent.exp)
            && !f.b
                .core()
                .tokens()
                .introspect(parent.t.token())
                .equals(java.util.Map.of("active", false));
    boolean fits =
        parent.ops.contains(Operation.DERIVE)
            && parent.ops.containsAll(ops)
            && up.within(parent.up)
            && !now.plusSeconds(ttl).isAfter(parent.exp)
            && uses <= usesLeft
            && amount.compareTo(amountLeft) <= 0
            && parent.depth < TokenService.DEFAULT_MAX_DEPTH;
    DeriveRequest req =
        new DeriveRequest(
            Operation.wires(ops),
            new NewScope.UpstreamSpec(hosts, methods, prefixes),
            ttl + "s",
            uses,
            amount.toPlainString(),
            null,
            null);
    if (!parentLive) {
      assertThatThrownBy(() -> ts.derive(parent.t.token(), req, Optional.empty()))
          .as("seed %d", seed)
          .isInstanceOf(InvalidTokenException.class);
      return;
    }
    if (!fits) {
      assertThatThrownBy(() -> ts.derive(parent.t.token(), req, Optional.empty()))
          .as("seed %d", seed)
          .isInstanceOfAny(ValidationException.class, TokenLimitException.class);
      return;
    }
    IssuedToken child = ts.derive(parent.t.token(), req, Optional.empty());
    Grant g = child.grant();
    assertThat(g.expiresAt())
        .as("seed %d: child outlives parent", seed)
        .isBeforeOrEqualTo(parent.exp);
    assertThat(parent.ops).as("seed %d", seed).containsAll(g.operations());
    assertThat(g.upstream().within(parent.up)).as("seed %d", seed).isTrue();
    assertThat(g.maxUses().orElseThrow()).as("seed %d", seed).isLessThanOrEqualTo(usesLeft);
    assertThat(g.maxAmount().orElseThrow()).as("seed %d", seed).isLessThanOrEqualTo(amountLeft);
    assertThat(g.ancestors()).as("seed %d", seed).endsWith(parent.t.grant().id());
    parent.usesReserved[0] += uses;
    parent.amountReserved[0] = parent.amountReserved[0].add(amount);
    nodes.add(
        new Node(
            child,
            parent,
            g.operations(),
            g.upstream(),
            g.expiresAt(),
            uses,
            amount,
            new long[1],
            new BigDecimal[] {BigDecimal.ZERO},
            parent.depth + 1));
  }

  private static void checkRevocation(
      TokenService ts, TokenFixture f, Random rnd, List<Node> nodes, long seed) {
    Node victim = nodes.get(rnd.nextInt(nodes.size()));
    ts.revoke(
        f.b.root(),
        new RevokeRequest(victim.t.grant().id(), null, null, null, null, null),
        Optional.empty());
    Instant now = f.b.clock().instant();
    Set<String> gone = new HashSet<>();
    for (Node n : nodes) {
      for (Node x = n; x != null; x = x.parent) {
        if (x == victim) {
          gone.add(n.t.grant().id());
        }
      }
    }
    for (Node n : nodes) {
      boolean active = Boolean.TRUE.equals(ts.introspect(n.t.token()).get("active"));
      boolean expected = !gone.contains(n.t.grant().id()) && now.isBefore(n.exp);
      assertThat(active)
          .as("seed %d token %s (revoked %s)", seed, n.t.grant().id(), victim.t.grant().id())
          .isEqualTo(expected);
    }
  }

  private static List<String> pick(Random rnd, List<String> from, int min) {
    List<String> out = new ArrayList<>();
    for (String s : from) {
      if (rnd.nextInt(3) == 0) {
        out.add(s);
      }
    }
    while (out.size() < min) {
      out.add(from.get(rnd.nextInt(from.size())));
    }
    return List.copyOf(new java.util.LinkedHashSet<>(out));
  }
}
