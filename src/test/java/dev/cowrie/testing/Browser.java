package dev.cowrie.testing;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real browser for page tests: Debian's Chromium driven by Playwright (no browser download; see
 * PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD in the pom). One per test class ({@code @BeforeAll}/{@code @AfterAll});
 * each journey opens its own {@link #context} (a person's browser: own cookies), phone-sized by default.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
  private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run");

  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;

  private Browser() {
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS));
  }

  public static Browser launch() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium package (.ci/run does)");
    }
    return new Browser();
  }

  /** A phone (360 x 740, touch), as most customers pay. */
  public BrowserContext phone() {
    return browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setViewportSize(360, 740).setHasTouch(true).setIsMobile(true).setLocale("en-NG"));
  }

  /** A desktop browser window. */
  public BrowserContext desktop() {
    return browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setViewportSize(1280, 800).setLocale("en-GB"));
  }

  public BrowserContext context() {
    return phone();
  }

  /** Saves the whole page to target/screenshots/{name}.png and answers the file. */
  public static Path screenshot(Page page, String name) {
    Path file = SCREENSHOTS.resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    return file;
  }

  /** Runs axe-core (Deque) on the page as it is now; fails on any serious or critical violation. */
  public static void assertNoSeriousAxeViolations(Page page) {
    List<Rule> serious = new AxeBuilder(page).analyze().getViolations().stream()
        .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
        .toList();
    if (!serious.isEmpty()) {
      throw new AssertionError("axe-core found on " + page.url() + ":\n" + serious.stream()
          .map(rule -> "  " + rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " at "
              + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).collect(Collectors.joining(", ")))
          .collect(Collectors.joining("\n")));
    }
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
