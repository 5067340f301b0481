package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code secretsapi} example in README.md and docs/*.md runs as written, in order, against a
 * real broker on loopback, and exits 0; and none asks a person to type an opaque id.
 *
 * <p>Each document gets a fresh broker and working folder holding {@link #GIVEN} files (what a
 * reader has: a provider key in {@code key.txt}). The README tells the whole story from nothing;
 * every other document starts where the README's first session ends ({@link #PRELUDE}). The
 * documents' {@code sk_...} and the dev address stand for the root key and address of the broker
 * ({@link #PLACEHOLDERS}). A line that is not a {@code secretsapi} command must be one of {@link
 * #NOT_RUN_HERE}, with the reason; anything else fails the test.
 *
 * <p>Commands that start a child ({@code secretsapi run ... -- CHILD}) run here like any other: the
 * command runs in this process and its child is a real process, given as written after {@code --}
 * (use a child the machine has, such as {@code sh -c '...'}; one it lacks, such as {@code python
 * agent.py}, needs a {@link #NOT_RUN_HERE} pattern with its reason). {@code eval "$(secretsapi env
 * ...)"} runs the command and takes the {@code export} lines it prints into the document's
 * environment. See {@link DocShell} for the rest of the shell this understands.
 */
class DocExamplesTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  /**
   * The reader's agent: it checks what {@code secretsapi run} gave it, and that it holds no key.
   */
  static final String AGENT =
      String.join(
          "\n",
          "import os, sys",
          "base, key = os.environ.get('OPENAI_BASE_URL', ''), os.environ.get('OPENAI_API_KEY', '')",
          "ok = base.startswith('http://127.0.0.1:') and key.count('.') == 2",
          "held = [k for k, v in os.environ.items() if 'sk-proj-docs-example' in v]",
          "sys.exit(0 if ok and not held and 'SECRETSAPI_TOKEN' not in os.environ else 1)",
          "");

  /** The README's policy, for the documents that start where its first session ends. */
  static final String POLICY =
      String.join(
          "\n",
          "rules:",
          "  - id: agents-model-access",
          "    effect: allow",
          "    principals: [\"agent-runtime-*\"]",
          "    resources: {resource_classes: [model-access]}",
          "    operations: [issue, derive, resolve, proxy]",
          "  - id: operators-start-agents",
          "    effect: allow",
          "    principals: [root]",
          "    resources: {resource_classes: [model-access]}",
          "    operations: [delegate]",
          "");

  /** Files a reader of the documents has before the first example. */
  static final Map<String, String> GIVEN =
      Map.of(
          "key.txt",
          "sk-proj-docs-example-0123456789abcdef\n",
          "new-key.txt",
          "sk-proj-docs-example-fedcba9876543210\n",
          "agent.py",
          AGENT,
          "policy.yaml",
          POLICY);

  /** What a reader has done by the time they read any document but the README. */
  static final List<String> PRELUDE =
      List.of(
          "secretsapi secret put openai-prod-key --provider openai --resource-class model-access"
              + " --value-file key.txt",
          "secretsapi service-account create agent-runtime-04",
          "secretsapi scope create openai-prod-key model-access --operations proxy,reveal,derive"
              + " --host api.openai.com --method POST --path-prefix /v1 --max-ttl 15m",
          "secretsapi policy apply KEY-SCOPE-17 -f policy.yaml");

  /** Values the documents show for the reader's own: replaced by the test broker's. */
  static final Map<String, String> PLACEHOLDERS =
      Map.of("sk_...", "SECRETSAPI_TOKEN", "http://127.0.0.1:8200", "SECRETSAPI_ADDR");

  /** Lines recognised and not run in this process, each with the reason. */
  static final Map<Pattern, String> NOT_RUN_HERE = notRunHere();

  private static Map<Pattern, String> notRunHere() {
    Map<Pattern, String> m = new LinkedHashMap<>();
    m.put(
        Pattern.compile("^(\\S+=\\S+\\s+)*(\\./)?secretsapi server( .*)?$"),
        "starts a broker process: the test's broker on loopback stands in for it");
    m.put(Pattern.compile("^mvn( .*)?$"), "the build itself, which runs this test");
    m.put(
        Pattern.compile("^(\\./)?secretsapi admin root-key .*$"),
        "works on a stopped broker's store with its KEK: FirstStartTest runs it on a real one");
    m.put(
        Pattern.compile("^curl .*"),
        "an HTTP example of the API, not the CLI: the server's HTTP tests cover each endpoint");
    m.put(
        Pattern.compile("^(sudo )?bench/\\S+\\.sh( .*)?$"),
        "a benchmark script: starts its own brokers and runs for minutes (docs/benchmarks.md)");
    m.put(
        Pattern.compile("^(J=\\S+|sed '/name=.*|java -cp secretsapi-bench/.*)$"),
        "a profiling or benchmark recipe for a JDK 25 machine");
    m.put(
        Pattern.compile("^sed -n \\dp audit\\.jsonl \\| .*$"),
        "checks one link of an export by hand with coreutils");
    m.put(
        Pattern.compile("^cd examples/openai-node && npm install && \\./try-offline\\.sh$"),
        "needs Node and npm: the example runs its own broker");
    return m;
  }

  static String notRunReason(String line) {
    for (var e : NOT_RUN_HERE.entrySet()) {
      if (e.getKey().matcher(line).matches()) {
        return e.getValue();
      }
    }
    return null;
  }

  /** An id a person would have to copy from an earlier answer, or a placeholder for one. */
  static final Pattern TYPED_ID =
      Pattern.compile("(^|[\\s=\"'])(sec|sak|whk|tok|sk)_([a-z2-7]{4,}|\\.\\.\\.)");

  static Stream<String> documents() throws IOException {
    List<String> docs = new ArrayList<>(List.of("README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files
          .map(p -> "docs/" + p.getFileName())
          .filter(n -> n.endsWith(".md"))
          .sorted()
          .forEach(docs::add);
    }
    return docs.stream();
  }

  @ParameterizedTest
  @MethodSource("documents")
  void examples_document_runAsWrittenAndExitZero(String document) throws Exception {
    List<ShellLines.Line> lines = ShellLines.of(Files.readString(ROOT.resolve(document)));
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path dir = TestDatabases.tempDir("docs-");
      for (var g : GIVEN.entrySet()) {
        Files.writeString(dir.resolve(g.getKey()), g.getValue());
      }
      DocShell shell = new DocShell(dir, PLACEHOLDERS, DocExamplesTest::notRunReason);
      shell.env.putAll(DocShell.start(s.server().baseUrl(), s.rootKey()));
      if (!document.equals("README.md")) {
        for (String p : PRELUDE) {
          assertThat(shell.line(new ShellLines.Line(0, p, null, null))).as(p).isNull();
        }
      }
      for (ShellLines.Line line : lines) {
        DocShell.Ran failed = shell.line(line);
        assertThat(failed)
            .as(
                () ->
                    document
                        + " "
                        + line
                        + "\nexit "
                        + failed.code()
                        + "\n"
                        + failed.out()
                        + failed.err())
            .isNull();
      }
      System.out.println(
          document
              + ": ran "
              + shell.ran.size()
              + " commands; not run here:\n  "
              + String.join("\n  ", shell.skipped));
      if (document.equals("README.md")) {
        assertThat(shell.ran).hasSizeGreaterThan(15);
      }
      for (DocShell.Ran r : shell.ran) {
        if (r.line().number() == 0) {
          continue;
        }
        assertThat(TYPED_ID.matcher(r.line().text()).find())
            .as(document + " " + r.line() + ": a name where a person types, not an id")
            .isFalse();
      }
    }
  }
}
