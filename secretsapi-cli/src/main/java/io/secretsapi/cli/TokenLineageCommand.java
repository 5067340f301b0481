package io.secretsapi.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code secretsapi token lineage ID}: GET /tokens/{id}/lineage, drawn as a tree. */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = "Show a token's family tree.")
final class TokenLineageCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TOKEN",
      description = "Token id (tok_...), or a file holding the token")
  String id;

  @Override
  public Integer call() {
    JsonNode l = opts.client().call("GET", "/tokens/" + Names.tokenId(id) + "/lineage", null);
    PrintWriter out = spec.commandLine().getOut();
    if (opts.json(false)) {
      opts.printObject(out, l);
      return 0;
    }
    out.println(
        "root     "
            + l.get("secret_id").asString()
            + "  vault · "
            + l.get("secret_status").asString());
    draw(out, l.get("root"), "  ");
    out.flush();
    return 0;
  }

  private static void draw(PrintWriter out, JsonNode n, String indent) {
    out.printf(
        "%s%-10s %s  %s · %s · %s · expires %s%n",
        indent,
        n.get("kind").asString(),
        n.get("token_id").asString(),
        n.get("subject").asString(),
        n.get("scope").asString(),
        n.get("status").asString(),
        n.get("expires_at").asString());
    for (JsonNode c : n.get("children")) {
      draw(out, c, indent + "  ");
    }
  }
}
