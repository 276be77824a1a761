package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sieve.core.data.DatasetVersion;
import dev.sieve.core.data.DomainRecord;
import dev.sieve.lab.data.DatasetBuilder;
import dev.sieve.lab.data.io.Progress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in real headless Chromium, on SQLite and on PostgreSQL: the admin logs in, creates two
 * annotators, imports classify-batch output, draws a batch; both annotators label the queue (with
 * the keyboard shortcuts), an admin adjudicates their disagreement, exports an overlay, and the
 * data pipeline builds a new dataset version from it (lab's DatasetBuilder on the lab fixture's raw
 * tree, the same code as {@code ./sieve data build}, on a small raw tree so the test stays short).
 * Along the way: the sensitive item is blurred behind a content warning, and the sandboxed render
 * loads nothing from the network (a beacon server counts requests: zero).
 *
 * <p>With {@code -Dsieve.screenshots=DIR} it saves the main pages as PNG (docs/annotation.md).
 */
class AnnotationBrowserTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void twoAnnotatorsAdjudicateExportAndRebuild(String backend) throws Exception {
    AtomicInteger beaconHits = new AtomicInteger();
    HttpServer beacon = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    beacon.createContext(
        "/",
        ex -> {
          beaconHits.incrementAndGet();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    beacon.start();
    int beaconPort = beacon.getAddress().getPort();
    Path overlays = tmp.resolve("overlays");
    Path batchFile = tmp.resolve("batch.jsonl");
    String html =
        "<html><head><title>Hot pics</title><link rel=stylesheet href='http://127.0.0.1:"
            + beaconPort
            + "/css'></head><body>"
            + "<h1>Members only gallery</h1><p>Explicit pictures for adults.</p><img src='http://127.0.0.1:"
            + beaconPort
            + "/img.png'>"
            + "<script>fetch('http://127.0.0.1:"
            + beaconPort
            + "/script')</script><img src=x onerror=\"fetch('http://127.0.0.1:"
            + beaconPort
            + "/onerror')\">"
            + "</body></html>";
    Files.writeString(
        batchFile,
        String.join(
                "\n",
                "{\"id\":1,\"dataset_host\":\"newsportal.com\",\"url\":\"https://newsportal.com/\",\"labels\":[],\"text\":\"Uncensored: watch the full execution video, every second of it, no blur.\",\"categories\":{\"violence\":{\"score\":0.51,\"decision\":true},\"adult\":{\"score\":0.05,\"decision\":false}},\"primary_category\":\"violence\",\"evidence\":[\"content: tokens execution, uncensored, video\"]}",
                "{\"id\":2,\"url\":\"https://pics.example/gallery\",\"html\":"
                    + Json.MAPPER.writeValueAsString(html)
                    + ",\"text\":\"Members only gallery. Explicit pictures for adults.\",\"categories\":{\"adult\":{\"score\":0.48,\"decision\":false},\"sex_education\":{\"score\":0.3,\"decision\":false}},\"primary_category\":\"\"}",
                "{\"id\":3,\"url\":\"https://news.example.org/story\",\"text\":\"Police reported a fight after the game; two people were hurt.\",\"categories\":{\"violence\":{\"score\":0.5,\"decision\":false}},\"primary_category\":\"\"}")
            + "\n");
    Path shots =
        Optional.ofNullable(System.getProperty("sieve.screenshots")).map(Path::of).orElse(null);

    try (AnnotateApp app =
        AnnotateApp.start(
            new AnnotateApp.Config(
                Backends.open(backend, tmp),
                overlays,
                Path.of("../docs/taxonomy.md"),
                "127.0.0.1",
                0,
                0,
                2,
                false,
                Clock.systemUTC()))) {
      String adminPassword = app.bootstrapAdmin("admin").orElseThrow();
      String base = "http://127.0.0.1:" + app.httpPort();
      ChromeDriver driver = Browser.start();
      try {
        login(driver, base, "admin", adminPassword);
        assertThat(driver.getCurrentUrl()).endsWith("/admin");
        for (String name : List.of("ann1", "ann2")) {
          driver.findElement(By.id("new-username")).sendKeys(name);
          driver.findElement(By.id("new-password")).sendKeys("correct horse battery");
          new Select(driver.findElement(By.id("new-role"))).selectByValue("annotator");
          submit(driver, driver.findElement(By.id("user-submit")));
          assertThat(flash(driver)).contains("account " + name + " created");
        }
        driver.findElement(By.id("import-file")).sendKeys(batchFile.toAbsolutePath().toString());
        submit(driver, driver.findElement(By.id("import-submit")));
        assertThat(flash(driver)).contains("3 added");
        setValue(driver, "batch-name", "first");
        setValue(driver, "batch-size", "3");
        for (String q : Queues.QUEUES) {
          setValue(driver, "share-" + q, q.equals("uncertainty") ? "1" : "0");
        }
        setValue(driver, "batch-seed", "1");
        submit(driver, driver.findElement(By.id("batch-submit")));
        assertThat(flash(driver)).contains("uncertainty=3");
        shot(driver, shots, "admin");
        logout(driver);

        // Annotator 1: casino = gambling; pics = adult; news = violence. Annotator 2 differs on
        // news.
        for (String who : List.of("ann1", "ann2")) {
          login(driver, base, who, "correct horse battery");
          for (int i = 0; i < 3; i++) {
            assertThat(driver.getCurrentUrl()).contains("/items/");
            String url = driver.findElement(By.id("item-url")).getText();
            List<String> answer;
            if (url.contains("newsportal")) {
              answer = List.of("violence");
            } else if (url.contains("pics.example")) {
              // Blurred behind a content warning until revealed.
              assertThat(driver.findElement(By.id("content-warning")).getText())
                  .contains("sexual content");
              assertThat(driver.findElement(By.id("item-body")).getAttribute("class"))
                  .contains("blurred");
              WebElement frame = driver.findElement(By.id("render"));
              assertThat(frame.getAttribute("sandbox")).isEmpty();
              if (who.equals("ann1")) {
                shot(driver, shots, "item-blurred");
              }
              new Actions(driver).sendKeys("v").perform();
              assertThat(driver.findElement(By.id("item-body")).getAttribute("class"))
                  .doesNotContain("blurred");
              driver.switchTo().frame(frame);
              assertThat(driver.findElement(By.tagName("h1")).getText())
                  .isEqualTo("Members only gallery");
              driver.switchTo().defaultContent();
              answer = List.of("adult");
            } else {
              answer = who.equals("ann1") ? List.of("violence") : List.of();
              if (who.equals("ann1")) {
                shot(driver, shots, "item");
              }
            }
            // Keyboard: the shortcut key printed beside each category toggles it.
            driver.findElement(By.tagName("h1")).click();
            for (String c : answer) {
              String key = driver.findElement(By.id("cat-" + c)).getAttribute("data-key");
              new Actions(driver).sendKeys(key).perform();
              assertThat(driver.findElement(By.id("cat-" + c)).isSelected())
                  .as(c + " toggled by key " + key)
                  .isTrue();
            }
            if (who.equals("ann2") && url.contains("news.example")) {
              new Actions(driver).sendKeys("u").perform();
              assertThat(driver.findElement(By.id("unsure")).isSelected()).isTrue();
              driver.findElement(By.id("note")).sendKeys("news report of a fight, not glorifying");
            }
            submit(driver, driver.findElement(By.id("submit-label")));
          }
          assertThat(driver.findElement(By.id("queue-empty")).isDisplayed()).isTrue();
          logout(driver);
        }
        Thread.sleep(300);
        assertThat(beaconHits.get()).as("requests from the sandboxed render").isZero();

        login(driver, base, "admin", adminPassword);
        driver.get(base + "/adjudicate");
        shot(driver, shots, "adjudicate");
        List<WebElement> forms = driver.findElements(By.cssSelector("form.adjudicate-form"));
        assertThat(forms).hasSize(1);
        WebElement violence = forms.get(0).findElement(By.cssSelector("input[value=violence]"));
        if (violence.isSelected()) {
          violence.click(); // the admin decides: a news report, not violent content
        }
        submit(driver, forms.get(0).findElement(By.cssSelector("button[type=submit]")));
        assertThat(driver.findElement(By.id("adjudicate-empty")).isDisplayed()).isTrue();

        driver.get(base + "/agreement");
        assertThat(driver.findElement(By.id("cohen")).getText()).contains("ann1").contains("ann2");
        assertThat(driver.findElement(By.id("fleiss")).getText())
            .contains("violence")
            .contains("adult")
            .doesNotContain("gambling");
        shot(driver, shots, "agreement");

        driver.get(base + "/admin");
        submit(driver, driver.findElement(By.id("export-submit")));
        String flash = flash(driver);
        assertThat(flash).contains("exported 3 items");
        List<Path> files;
        try (Stream<Path> s = Files.list(overlays)) {
          files = s.filter(p -> p.toString().endsWith(".jsonl")).toList();
        }
        assertThat(files).hasSize(1);
        assertThat(flash).contains(files.get(0).getFileName().toString());
        // newsportal.com is a dataset host: "add violence". The pics and news pages are traffic
        // records.
        Path overlay = files.get(0);
        assertThat(Files.readString(overlay))
            .contains("\"host\":\"newsportal.com\"")
            .contains("\"category\":\"violence\"")
            .contains("\"action\":\"add\"");
        // The pics and news pages are traffic with text: new text records of the same overlay.
        assertThat(Files.readString(overlay))
            .contains("\"record\":\"text\"")
            .contains("pics.example")
            .contains("news.example.org");
        shot(driver, shots, "export");

        logout(driver);

        // Teachers: an override for one's own district; another district's teacher never sees it.
        app.accounts()
            .create("teacher-a", "correct horse battery", Accounts.Role.TEACHER, "district-a");
        app.accounts()
            .create("teacher-b", "correct horse battery", Accounts.Role.TEACHER, "district-b");
        login(driver, base, "teacher-a", "correct horse battery");
        assertThat(driver.getCurrentUrl()).endsWith("/overrides");
        driver
            .findElement(By.id("ov-host"))
            .sendKeys("https://www.khanacademy.org/science/biology");
        new Select(driver.findElement(By.id("ov-effect"))).selectByValue("allow");
        setValue(driver, "ov-minutes", "120");
        driver.findElement(By.id("ov-reason")).sendKeys("biology lesson, period 3");
        submit(driver, driver.findElement(By.id("override-submit")));
        assertThat(driver.findElement(By.id("override-table")).getText())
            .contains("www.khanacademy.org")
            .contains("allow")
            .contains("active");
        assertThat(driver.findElement(By.id("audit")).getText()).contains("override.create");
        shot(driver, shots, "overrides");
        assertThat(app.overrides().activeSet().getOverridesList())
            .singleElement()
            .satisfies(o -> assertThat(o.getTenantId()).isEqualTo("district-a"));
        logout(driver);
        login(driver, base, "teacher-b", "correct horse battery");
        assertThat(driver.findElement(By.id("override-table")).getText())
            .doesNotContain("khanacademy");
        driver.get(base + "/admin");
        assertThat(driver.findElement(By.tagName("h1")).getText()).contains("403");
        logout(driver);

        rebuildWith(overlay);
      } finally {
        driver.quit();
        beacon.stop(0);
      }
    }
  }

  /**
   * The data pipeline with the exported overlay: lab's DatasetBuilder (what {@code ./sieve data
   * build} runs) on lab's small fixture raw tree, once without and once with the overlay. The
   * overlay makes a new version (its hash is a build input) in which newsportal.com carries the
   * annotated label.
   */
  private void rebuildWith(Path overlay) throws Exception {
    Path fixtures = Path.of("../lab/src/test/resources/fixtures");
    Progress.setQuiet(true);
    Path noOverlays = Files.createDirectories(tmp.resolve("no-overlays"));
    Path withOverlays = Files.createDirectories(tmp.resolve("with-overlays"));
    Files.copy(overlay, withOverlays.resolve(overlay.getFileName()));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    var before =
        new DatasetBuilder(
                new DatasetBuilder.Options(
                    fixtures.resolve("raw"),
                    tmp.resolve("ds-before"),
                    fixtures.resolve("mapping.tsv"),
                    noOverlays,
                    "test-seed",
                    0.5,
                    0,
                    true),
                quiet)
            .build();
    var after =
        new DatasetBuilder(
                new DatasetBuilder.Options(
                    fixtures.resolve("raw"),
                    tmp.resolve("ds-after"),
                    fixtures.resolve("mapping.tsv"),
                    withOverlays,
                    "test-seed",
                    0.5,
                    0,
                    true),
                quiet)
            .build();
    assertThat(before.ok()).as("fixture build: %s", before.budgetViolations()).isTrue();
    assertThat(after.ok())
        .as("fixture build with the overlay: %s", after.budgetViolations())
        .isTrue();
    assertThat(after.versionId()).isNotEqualTo(before.versionId());
    assertThat(Files.readString(after.versionDir().resolve(DatasetVersion.MANIFEST)))
        .contains(overlay.getFileName().toString());
    List<DomainRecord> news = new ArrayList<>();
    DatasetVersion.open(after.versionDir())
        .forEachDomain(
            d -> {
              if (d.host().equals("newsportal.com")) {
                news.add(d);
              }
            });
    assertThat(news).singleElement().satisfies(d -> assertThat(d.labels()).contains("violence"));
    assertThat(DatasetVersion.open(after.versionDir()).texts())
        .filteredOn(t -> t.source().equals("annotation"))
        .extracting(t -> t.text())
        .anySatisfy(t -> assertThat(t).contains("Explicit pictures"))
        .anySatisfy(t -> assertThat(t).contains("Police reported"));
  }

  /** The admin page's status line; the whole page in the failure message when there is none. */
  static String flash(WebDriver driver) {
    List<WebElement> f = driver.findElements(By.id("flash"));
    if (f.isEmpty()) {
      throw new AssertionError(
          "no status line on " + driver.getCurrentUrl() + ":\n" + driver.getPageSource());
    }
    return f.get(0).getText();
  }

  static void login(WebDriver driver, String base, String user, String password) {
    driver.get(base + "/login");
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    submit(driver, driver.findElement(By.id("login")));
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> !d.getCurrentUrl().contains("/login"));
  }

  static void logout(WebDriver driver) {
    submit(driver, driver.findElement(By.cssSelector("form.logout button")));
  }

  /** Clicks a submit button and waits for the next page (the old one goes stale). */
  static void submit(WebDriver driver, WebElement button) {
    WebElement html = driver.findElement(By.tagName("html"));
    button.click();
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(
            d -> {
              try {
                html.isEnabled();
                return false;
              } catch (StaleElementReferenceException e) {
                return true;
              } catch (WebDriverException e) {
                // Chromium answers this instead of "stale" while the old document is being
                // replaced.
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                  return true;
                }
                throw e;
              }
            });
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(
            d ->
                "complete"
                    .equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  static void setValue(WebDriver driver, String id, String value) {
    WebElement e = driver.findElement(By.id(id));
    e.clear();
    e.sendKeys(value);
  }

  static void shot(ChromeDriver driver, Path dir, String name) throws Exception {
    if (dir == null) {
      return;
    }
    Files.createDirectories(dir);
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
