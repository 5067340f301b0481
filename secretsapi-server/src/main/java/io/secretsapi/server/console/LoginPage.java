package io.secretsapi.server.console;

import java.util.Optional;

/** The login form's model: the refusal of the last attempt, if any. */
record LoginPage(Optional<String> error) {}
