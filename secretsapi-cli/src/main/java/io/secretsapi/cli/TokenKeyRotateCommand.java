package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi token-key rotate}: POST /admin/token-keys/rotate. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = "Sign with a new key; the old one verifies until its tokens expire (admin).")
final class TokenKeyRotateCommand extends ApiCommand {
  @Override
  public Integer call() {
    return show("POST", "/admin/token-keys/rotate", null);
  }
}
