package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi injection set SECRET}: PUT /secrets/{id}/injection. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = "Inject the value into a header, as HTTP basic, or as a query parameter.")
final class InjectionSetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  /** Exactly one place. */
  static final class Where {
    @Option(names = "--header", paramLabel = "NAME", description = "Into header NAME")
    String header;

    @Option(names = "--basic", description = "As HTTP basic (Authorization: Basic ...)")
    boolean basic;

    @Option(names = "--query", paramLabel = "NAME", description = "As query parameter NAME")
    String query;
  }

  @Option(
      names = "--template",
      description =
          "The header's value, or basic's user:password, around {value}, such as 'Token {value}'")
  String template;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("in", where.header != null ? "header" : where.basic ? "basic" : "query");
    if (where.header != null || where.query != null) {
      body.put("name", where.header != null ? where.header : where.query);
    }
    ScopeCreateCommand.putIf(body, "template", template);
    return show("PUT", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/injection", body);
  }
}
