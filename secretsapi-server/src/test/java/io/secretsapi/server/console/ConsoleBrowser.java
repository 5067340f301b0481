package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Debian's Chromium driven by Playwright, for the console's end-to-end tests. Register it once per
 * class ({@code @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();}),
 * then {@link #logIn} for a page signed in to a test server, and {@link Tab#check} on every screen:
 * axe-core finds no serious or critical violation, the browser reported no CSP violation or script
 * error, and a screenshot lands in {@code docs/console/<screen>.png}.
 *
 * <p>Without {@code /usr/bin/chromium} the tests fail, never skip: CI installs it ({@code
 * .ci/run}).
 */
public final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private Playwright playwright;
  private Browser browser;

  @Override
  public void beforeAll(ExtensionContext context) {
    assertThat(CHROMIUM)
        .as("the console tests need Debian's chromium at %s: apt-get install chromium", CHROMIUM)
        .isExecutable();
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setArgs(ARGS)
                    .setHeadless(true));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  /** A fresh browser context (no cookies) logged in to {@code baseUrl} with {@code apiKey}. */
  Tab logIn(String baseUrl, String apiKey) {
    Tab t = open(baseUrl);
    t.page().navigate(baseUrl + "/console/login");
    t.page().getByLabel("API key").fill(apiKey);
    t.page().getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).last().click();
    t.page().waitForURL(baseUrl + "/console");
    return t;
  }

  /** A fresh browser context, not logged in. */
  Tab open(String baseUrl) {
    BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900));
    Page page = context.newPage();
    List<String> problems = new CopyOnWriteArrayList<>();
    // a refused form answers 4xx on purpose: only sub-resources that fail, script errors and
    // anything the CSP blocked are problems
    page.onConsoleMessage(
        m -> {
          if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
            problems.add(m.text());
          }
        });
    page.onResponse(
        r -> {
          if (r.status() >= 400 && !r.request().resourceType().equals("document")) {
            problems.add(r.status() + " " + r.url());
          }
        });
    page.onPageError(problems::add);
    return new Tab(baseUrl, context, page, problems);
  }

  /** One logged-in browser tab. */
  record Tab(String baseUrl, BrowserContext context, Page page, List<String> problems)
      implements AutoCloseable {

    void go(String path) {
      page.navigate(baseUrl + path);
    }

    /**
     * Checks the screen shown: no serious or critical axe-core violation, no CSP violation or
     * script error reported by the browser; then saves {@code docs/console/<screen>.png}.
     */
    void check(String screen) {
      List<Rule> bad =
          new AxeBuilder(page)
              .analyze().getViolations().stream()
                  .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                  .toList();
      assertThat(bad)
          .as(
              "axe-core violations on %s: %s",
              screen, bad.stream().map(v -> v.getId() + " " + v.getNodes().size() + "x").toList())
          .isEmpty();
      assertThat(problems).as("browser errors on %s", screen).isEmpty();
      page.screenshot(new Page.ScreenshotOptions().setPath(screenshots().resolve(screen + ".png")));
    }

    @Override
    public void close() {
      context.close();
    }
  }

  /** {@code docs/console} of the repository (tests run in the module's folder). */
  static Path screenshots() {
    Path here = Path.of("").toAbsolutePath();
    Path root = Files.exists(here.resolve("docs")) ? here : here.getParent();
    return root.resolve("docs").resolve("console");
  }
}
