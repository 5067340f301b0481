package io.secretsapi.server.console;

/**
 * The overview at {@code /console}: the header band and the screens the key may open. Any valid key
 * may see it; each figure of the band is shown only to a key that may read it.
 */
final class HomeScreen {
  private HomeScreen() {}

  static void register(Console c) {
    c.http()
        .pageAnyKey(
            "/console",
            (ctx, s) -> c.templates().answer(ctx, 200, "home.jte", c.frame(s, "Overview", "home")),
            (ctx, s, r) -> ErrorScreen.answer(c, ctx, s, r));
  }
}
