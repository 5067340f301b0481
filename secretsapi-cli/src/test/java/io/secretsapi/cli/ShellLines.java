package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell examples of a Markdown document: its fenced {@code sh}, {@code bash}, {@code shell} and
 * {@code console} blocks cut into logical lines (continuations joined, comments dropped), and
 * heredocs kept whole. Only the small part of the shell the documents use is understood; the runner
 * refuses what it does not know rather than guess.
 */
final class ShellLines {
  private static final Pattern FENCE =
      Pattern.compile(
          "^```(sh|bash|shell|console)\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern HEREDOC = Pattern.compile("^cat > (\\S+) <<'?(\\w+)'?$");

  /** One logical line of a document, or a heredoc that writes {@code file}. */
  record Line(int number, String text, String file, String body) {
    boolean heredoc() {
      return file != null;
    }

    @Override
    public String toString() {
      return "line " + number + ": " + text;
    }
  }

  private ShellLines() {}

  static List<Line> of(String markdown) {
    List<Line> lines = new ArrayList<>();
    Matcher m = FENCE.matcher(markdown);
    while (m.find()) {
      int first = lineNumber(markdown, m.start(2));
      String[] raw = m.group(2).split("\n", -1);
      for (int i = 0; i < raw.length; i++) {
        int start = i;
        StringBuilder text = new StringBuilder();
        String l = raw[i];
        while (l.endsWith("\\") && i + 1 < raw.length) {
          text.append(l, 0, l.length() - 1).append(' ');
          l = raw[++i].strip();
        }
        text.append(l);
        String logical = stripComment(text.toString()).strip();
        if (logical.isEmpty()) {
          continue;
        }
        Matcher h = HEREDOC.matcher(logical);
        if (h.matches()) {
          StringBuilder body = new StringBuilder();
          while (++i < raw.length && !raw[i].equals(h.group(2))) {
            body.append(raw[i]).append('\n');
          }
          lines.add(new Line(first + start, logical, h.group(1), body.toString()));
        } else {
          lines.add(new Line(first + start, logical, null, null));
        }
      }
    }
    return lines;
  }

  /** The line without a {@code #} comment that starts outside quotes after a blank. */
  static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static int lineNumber(String text, int offset) {
    int n = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
