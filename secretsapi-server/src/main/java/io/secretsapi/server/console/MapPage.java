package io.secretsapi.server.console;

import java.util.List;

/**
 * The architecture map (screen 9): the four trust zones, callers, broker, enforcement and vault,
 * each with the broker's live figures that the operator's key may read.
 */
record MapPage(Frame frame, List<Zone> zones, String measured) {

  /**
   * One trust zone.
   *
   * @param slug {@code callers}, {@code broker}, {@code enforcement} or {@code vault}
   */
  record Zone(String slug, String title, String role, List<Figure> figures) {}

  /**
   * One live figure.
   *
   * @param slug a stable name for tests, such as {@code active-tokens}
   * @param detail a smaller second line, such as {@code over the last 62s}; empty for none
   */
  record Figure(String slug, String label, String value, String detail) {}
}
