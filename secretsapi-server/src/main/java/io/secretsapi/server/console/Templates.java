package io.secretsapi.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * The console's jte templates ({@code src/main/jte}), compiled with the server at build time into
 * this package, so that they may take this package's records, and HTML-escaping every {@code ${}}.
 * Nothing is compiled at run time. Thread-safe.
 */
final class Templates {
  private static final String PACKAGE = Templates.class.getPackageName();

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, Templates.class.getClassLoader(), PACKAGE);

  /** Renders {@code template} (such as {@code vault.jte}) with its one parameter as HTML. */
  String render(String template, Object model) {
    StringOutput out = new StringOutput();
    engine.render(template, model, out);
    return out.toString();
  }

  /** Answers {@code template} rendered, with {@code status}. */
  void answer(Context ctx, int status, String template, Object model) {
    ctx.status(status).contentType("text/html; charset=utf-8").result(render(template, model));
  }
}
