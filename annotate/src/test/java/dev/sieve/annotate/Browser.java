package dev.sieve.annotate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages, driven by
 * Selenium with both paths given explicitly, so Selenium Manager never tries to download a browser
 * (nothing is downloadable here). Missing packages fail the test with what to install; {@code
 * ./sieve test} installs them ({@code helm/tools/install-chromium.sh}).
 */
final class Browser {

  private Browser() {}

  static Path chromium() {
    return find("SIEVE_CHROMIUM", "/usr/bin/chromium");
  }

  static Path chromedriver() {
    return find("SIEVE_CHROMEDRIVER", "/usr/bin/chromedriver");
  }

  private static Path find(String env, String fallback) {
    String v = System.getenv(env);
    Path p = Path.of(v == null || v.isBlank() ? fallback : v);
    if (!Files.isExecutable(p)) {
      throw new AssertionError(
          p
              + " is missing, so the browser test cannot run: install Debian's chromium and chromium-driver"
              + " (bash helm/tools/install-chromium.sh, which ./sieve test runs), or point "
              + env
              + " at them.");
    }
    return p;
  }

  static ChromeDriver start() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver().toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1366,900",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--force-color-profile=srgb");
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(0));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }
}
