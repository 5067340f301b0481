package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A command that calls the broker: its connection and output options, and the few steps every such
 * command takes (resolve a name, call, print).
 */
abstract class ApiCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  SecretsApiClient client() {
    return opts.client();
  }

  /** The id a typed id or name stands for. */
  String id(Names.Kind kind, String typed) {
    return opts.id(kind, typed);
  }

  /** Calls the broker and prints the one object it answers. */
  int show(String method, String path, Object body) {
    opts.printObject(out(), client().call(method, path, body));
    return 0;
  }

  /** Calls the broker and prints the {@code items} it answers as a table of these columns. */
  int list(String path, ClientOptions.Column... columns) {
    JsonNode answer = client().call("GET", path, null);
    opts.printItems(out(), answer, columns);
    return 0;
  }

  static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static ClientOptions.Column col(String header, String field) {
    return new ClientOptions.Column(header, field);
  }
}
