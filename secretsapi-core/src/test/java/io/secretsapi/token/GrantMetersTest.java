package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Grant and refusal counters keep their labels to bounded sets, whatever callers and policies do.
 */
class GrantMetersTest {
  @Test
  void refused_manyPolicyRuleNamesAndUnknownOperations_labelsStayBounded() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GrantMeters meters = new GrantMeters(registry);
    for (int i = 0; i < 500; i++) {
      meters.refused("issue", "rule-" + i);
      meters.refused("op-" + i, GrantMeters.TOKEN_LIMIT);
      meters.granted("op-" + i);
    }
    meters.refused("proxy", GrantMeters.TOKEN_REVOKED);
    meters.refused("proxy", null);

    Set<String> rules = labels(registry, "secretsapi.refusals", "rule");
    Set<String> operations = labels(registry, "secretsapi.refusals", "operation");
    assertThat(rules)
        .hasSizeLessThanOrEqualTo(GrantMeters.MAX_RULES + 6)
        .contains("rule-0", "other", GrantMeters.TOKEN_REVOKED)
        .doesNotContain("rule-499");
    assertThat(operations).containsExactlyInAnyOrder("issue", "proxy", "other");
    assertThat(labels(registry, "secretsapi.grants", "operation"))
        .containsExactlyInAnyOrderElementsOf(
            new TreeSet<>(
                java.util.List.of("issue", "delegate", "derive", "proxy", "resolve", "other")));
    assertThat(registry.get("secretsapi.grants").tag("operation", "other").counter().count())
        .isEqualTo(500);
    assertThat(
            registry
                .get("secretsapi.refusals")
                .tag("operation", "issue")
                .tag("rule", "other")
                .counter()
                .count())
        .isEqualTo(500 - GrantMeters.MAX_RULES);
  }

  @Test
  void operationOf_recordTypes_areTheGateOperations() {
    assertThat(GrantMeters.operationOf("token.proxy")).isEqualTo("proxy");
    assertThat(GrantMeters.operationOf("token.resolve")).isEqualTo("resolve");
    assertThat(GrantMeters.operationOf("token.derive")).isEqualTo("derive");
    assertThat(GrantMeters.operationOf("token.issue")).isEqualTo("issue");
    assertThat(GrantMeters.operationOf("anything")).isEqualTo("other");
  }

  private static Set<String> labels(SimpleMeterRegistry r, String name, String tag) {
    Set<String> out = new TreeSet<>();
    for (Meter m : r.find(name).meters()) {
      out.add(m.getId().getTag(tag));
    }
    return out;
  }
}
