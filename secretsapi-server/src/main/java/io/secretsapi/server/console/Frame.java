package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * What the layout around every signed-in screen shows: the navigation the key may use, the header
 * band, who is signed in, the session's CSRF token for forms, and a notice or refusal to show.
 *
 * @param active the slug of the screen shown, such as {@code vault}
 */
record Frame(
    String title,
    String active,
    List<Screen> nav,
    Band band,
    String principal,
    String csrf,
    Optional<String> notice,
    Optional<Refusal> refusal) {

  Frame withNotice(String text) {
    return new Frame(title, active, nav, band, principal, csrf, Optional.of(text), refusal);
  }

  Frame withRefusal(Refusal r) {
    return new Frame(title, active, nav, band, principal, csrf, notice, Optional.of(r));
  }
}
