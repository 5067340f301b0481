package io.secretsapi.pkg;

import io.secretsapi.token.Operation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the policy set {@code engine-<engine id>} from an engine's current bindings: for each item
 * of each bound package, a rule allowing the engine's principals to {@code issue} that secret under
 * exactly that scope ({@code request.scope} in the condition), and for each bundled secret a rule
 * allowing the uses its bundled scopes carry ({@code proxy}, {@code resolve} for {@code reveal},
 * {@code derive}): a token can only be of the scope it was issued under, so the use rule needs no
 * scope condition. Plain {@code allow} rules only, so that the policy language is not touched. With
 * no binding the set keeps one rule that matches nothing, since a set may not be empty.
 *
 * <p>Only ids and slugs go into the document (never a package's or engine's free-text name), so
 * nothing needs quoting beyond what is shown.
 */
final class BindingPolicy {
  private BindingPolicy() {}

  /** A bound package with its items, in binding order. */
  record Bound(String packageId, List<ServicePackage.Item> items) {}

  static String document(
      String engineId,
      String serviceAccountId,
      String principal,
      List<Bound> bound,
      java.util.function.Function<ServicePackage.Item, Set<Operation>> operationsOf) {
    String who = "    principals: [\"" + principal + "\", \"sa:" + serviceAccountId + "\"]\n";
    StringBuilder out =
        new StringBuilder()
            .append("id: ")
            .append(PackageService.policyId(engineId))
            .append("\ndescription: generated from the package bindings of engine ")
            .append(engineId)
            .append("; written by each bind and unbind, not by hand\nrules:\n");
    int rules = 0;
    for (Bound b : bound) {
      Set<String> secrets = new TreeSet<>();
      for (int i = 0; i < b.items().size(); i++) {
        ServicePackage.Item item = b.items().get(i);
        secrets.add(item.secretId());
        out.append("  - id: ")
            .append(b.packageId())
            .append('.')
            .append(i + 1)
            .append(".issue\n    effect: allow\n    description: package ")
            .append(b.packageId())
            .append(" gives scope ")
            .append(item.scope())
            .append(" of ")
            .append(item.secretId())
            .append('\n')
            .append(who)
            .append("    resources:\n      secret_ids: [")
            .append(item.secretId())
            .append("]\n    operations: [issue]\n    condition: \"request.scope == '")
            .append(item.scope())
            .append("'\"\n");
        rules++;
      }
      for (String secretId : secrets) {
        Set<String> uses = new TreeSet<>();
        for (ServicePackage.Item item : b.items()) {
          if (item.secretId().equals(secretId)) {
            for (Operation op : operationsOf.apply(item)) {
              uses.add(op == Operation.REVEAL ? "resolve" : op.wire());
            }
          }
        }
        if (uses.isEmpty()) {
          continue;
        }
        out.append("  - id: ")
            .append(b.packageId())
            .append('.')
            .append(secretId)
            .append(".use\n    effect: allow\n    description: uses of ")
            .append(secretId)
            .append(" its bundled scopes allow\n")
            .append(who)
            .append("    resources:\n      secret_ids: [")
            .append(secretId)
            .append("]\n    operations: [")
            .append(String.join(", ", uses))
            .append("]\n");
        rules++;
      }
    }
    if (rules == 0) {
      out.append("  - id: unbound\n    effect: allow\n    description: no package is bound\n")
          .append(who)
          .append("    operations: [issue]\n    condition: \"false\"\n");
    }
    return out.toString();
  }
}
