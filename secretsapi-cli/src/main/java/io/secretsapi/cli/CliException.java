package io.secretsapi.cli;

/**
 * A command that cannot go on, with the exit code that says why: {@link #USAGE} for what the person
 * typed (an option, an argument, a name that matches several objects), {@link #REFUSED} for what
 * the broker answered (a name that matches nothing is as a {@code 404}).
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The broker refused or answered a problem: 403, 404, 409, 503... */
  static final int REFUSED = 1;

  /** The command line is wrong: picocli's own code for usage errors. */
  static final int USAGE = 2;

  /** The broker could not be reached. */
  static final int UNREACHABLE = 4;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
