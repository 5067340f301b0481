package io.secretsapi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs the shell lines of one document, in order, in this process: {@code secretsapi ...} through
 * {@link Main#run(PrintWriter, PrintWriter, Map, String...)} with the document's environment, in a
 * working folder of its own. It understands, and only these: {@code export NAME=VALUE}; {@code
 * NAME=VALUE command} (for that command); {@code 'single'} and {@code "double"} quotes; {@code
 * $NAME}, {@code ${NAME}}; {@code $(secretsapi ...)} and {@code $(cat FILE)}; {@code > FILE} after
 * a command; {@code cat > FILE <<'TAG'} heredocs; and {@code eval "..."}, whose text is run as
 * lines (so {@code eval "$(secretsapi env ...)"} sets what the command prints as {@code export}
 * lines).
 *
 * <p>A word that names a file ({@code key.txt}, {@code policy.yaml}, {@code token.jwt}...) is taken
 * in the working folder. Arguments after {@code --} are passed as written, so {@code secretsapi run
 * ... -- sh -c '...'} starts its child as a real process.
 *
 * <p>Any other line must be recognised by the caller's {@code skip} function (which says why it is
 * not run here), or the run fails naming it.
 */
final class DocShell {
  private static final Pattern FILE_WORD =
      Pattern.compile("[A-Za-z0-9_.-]+\\.(txt|ya?ml|json|jwt|jsonl|key|pem|py)");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

  /** A command run, with what it printed. */
  record Ran(ShellLines.Line line, List<String> args, int code, String out, String err) {}

  final Map<String, String> env = new HashMap<>();
  final List<Ran> ran = new ArrayList<>();
  final List<String> skipped = new ArrayList<>();
  private final Path dir;
  private final Map<String, String> placeholders;
  private final Function<String, String> skip;

  /**
   * @param placeholders values a document shows for a person to fill in ({@code sk_...} for the
   *     root key), mapped to the variables whose harness value stands in for them
   * @param skip why a line that is not a {@code secretsapi} command is not run, or null when it is
   *     not recognised
   */
  DocShell(Path dir, Map<String, String> placeholders, Function<String, String> skip) {
    this.dir = dir;
    this.placeholders = placeholders;
    this.skip = skip;
  }

  /** Runs one line; answers the failing run, or null. */
  Ran line(ShellLines.Line line) throws IOException {
    if (line.heredoc()) {
      Files.writeString(dir.resolve(line.file()), line.body(), StandardCharsets.UTF_8);
      return null;
    }
    String text = line.text();
    String reason = skip.apply(text);
    if (reason != null) {
      skipped.add(text + "  [" + reason + "]");
      return null;
    }
    List<String> words = words(text, line);
    if (words.get(0).equals("export")) {
      for (String w : words.subList(1, words.size())) {
        assign(w, env);
      }
      return null;
    }
    if (words.get(0).equals("eval")) {
      for (String l : String.join(" ", words.subList(1, words.size())).split("\n")) {
        String command = ShellLines.stripComment(l).strip(); // env's first line is a comment
        if (!command.isEmpty()) {
          Ran r = line(new ShellLines.Line(line.number(), command, null, null));
          if (r != null) {
            return r;
          }
        }
      }
      return null;
    }
    Map<String, String> local = new HashMap<>(env);
    while (ASSIGNMENT.matcher(words.get(0)).matches()) {
      assign(words.remove(0), local);
    }
    String redirect = null;
    int gt = words.indexOf(">");
    if (gt >= 0) {
      redirect = words.get(gt + 1);
      words = new ArrayList<>(words.subList(0, gt));
    }
    if (!isCli(words.get(0))) {
      throw new AssertionError("not a secretsapi command, and not recognised: " + line);
    }
    List<String> args = words.subList(1, words.size());
    Ran r = run(line, args, local);
    ran.add(r);
    if (redirect != null) {
      Files.writeString(file(redirect), r.out(), StandardCharsets.UTF_8);
    }
    return r.code() == 0 ? null : r;
  }

  static boolean isCli(String word) {
    return word.equals("secretsapi") || word.equals("./secretsapi");
  }

  private Ran run(ShellLines.Line line, List<String> args, Map<String, String> environment) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            environment,
            args.toArray(String[]::new));
    return new Ran(line, List.copyOf(args), code, out.toString(), err.toString());
  }

  private void assign(String word, Map<String, String> into) {
    int eq = word.indexOf('=');
    String name = word.substring(0, eq);
    String value = word.substring(eq + 1);
    String standIn = placeholders.get(value);
    into.put(name, standIn != null ? env.get(standIn) : value);
  }

  private Path file(String name) {
    return dir.resolve(name);
  }

  /** The words of a line after quoting, expansion and substitution. */
  List<String> words(String text, ShellLines.Line line) throws IOException {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    boolean afterDashes = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (w != null) {
          afterDashes |= finish(words, w.toString(), afterDashes);
          w = null;
        }
        continue;
      }
      if (w == null) {
        w = new StringBuilder();
      }
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        w.append(text, i + 1, end);
        i = end;
      } else if (c == '"') {
        int end = i + 1;
        while (text.charAt(end) != '"') {
          end +=
              text.charAt(end) == '$' && text.charAt(end + 1) == '('
                  ? close(text, end + 1) - end
                  : 1;
        }
        w.append(expand(text.substring(i + 1, end), line));
        i = end;
      } else if (c == '$') {
        int end =
            c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '('
                ? close(text, i + 1) + 1
                : varEnd(text, i);
        w.append(expand(text.substring(i, end), line));
        i = end - 1;
      } else {
        w.append(c);
      }
    }
    if (w != null) {
      finish(words, w.toString(), afterDashes);
    }
    return words;
  }

  /** Adds a word, a file name taken in the working folder; true when the word is {@code --}. */
  private boolean finish(List<String> words, String word, boolean afterDashes) {
    if (afterDashes) {
      // the child's own files (agent.py) are in the working folder, where a reader runs it
      boolean here = FILE_WORD.matcher(word).matches() && Files.exists(file(word));
      words.add(here ? file(word).toString() : word);
      return false;
    }
    int eq = word.indexOf('=');
    if (word.startsWith("--") && eq > 0 && FILE_WORD.matcher(word.substring(eq + 1)).matches()) {
      words.add(word.substring(0, eq + 1) + file(word.substring(eq + 1)));
    } else {
      words.add(
          FILE_WORD.matcher(word).matches() && !word.contains("/") ? file(word).toString() : word);
    }
    return word.equals("--");
  }

  private String expand(String s, ShellLines.Line line) throws IOException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
      } else if (s.charAt(i + 1) == '(') {
        int end = close(s, i + 1);
        out.append(substitute(s.substring(i + 2, end), line));
        i = end;
      } else {
        int end = varEnd(s, i);
        String name = s.substring(i + 1, end).replace("{", "").replace("}", "");
        out.append(env.getOrDefault(name, ""));
        i = end - 1;
      }
    }
    return out.toString();
  }

  /** {@code $(secretsapi ...)} or {@code $(cat FILE)}: what it prints, without the last newline. */
  private String substitute(String command, ShellLines.Line line) throws IOException {
    List<String> words = words(command, line);
    if (words.get(0).equals("cat") && words.size() == 2) {
      return Files.readString(Path.of(words.get(1))).stripTrailing();
    }
    if (!isCli(words.get(0))) {
      throw new AssertionError("$(" + command + ") is not understood here: " + line);
    }
    Ran r = run(line, words.subList(1, words.size()), env);
    ran.add(r);
    if (r.code() != 0) {
      throw new AssertionError("$(" + command + ") exited " + r.code() + ": " + r.err());
    }
    return r.out().stripTrailing();
  }

  private static int varEnd(String s, int dollar) {
    if (s.charAt(dollar + 1) == '{') {
      return s.indexOf('}', dollar) + 1;
    }
    int end = dollar + 1;
    while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
      end++;
    }
    return end;
  }

  /** The index of the parenthesis that closes the one at {@code open}. */
  private static int close(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      if (s.charAt(i) == '(') {
        depth++;
      } else if (s.charAt(i) == ')' && --depth == 0) {
        return i;
      }
    }
    throw new AssertionError("unclosed $( in " + s);
  }

  /** The environment a document starts with. */
  static Map<String, String> start(String addr, String rootKey) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("SECRETSAPI_ADDR", addr);
    e.put("SECRETSAPI_TOKEN", rootKey);
    return e;
  }
}
