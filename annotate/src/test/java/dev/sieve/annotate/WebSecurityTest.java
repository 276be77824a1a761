package dev.sieve.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sieve.proto.v1.FeedbackGrpc;
import dev.sieve.proto.v1.FeedbackReport;
import dev.sieve.proto.v1.ReportVerdictRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web layer's walls, over plain HTTP: CSRF on every state change, role checks, security
 * headers, and tenant isolation (a teacher of one district can neither see nor change another's
 * report items or overrides, even by guessing ids).
 */
class WebSecurityTest {

  @TempDir Path tmp;

  /** A tiny cookie-keeping HTTP user. */
  static final class User {
    final HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final String base;
    String session = "";
    String csrf = "";

    User(String base) {
      this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Cookie", "sieve_annotate_session=" + session)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
      String body =
          form.entrySet().stream()
              .map(
                  e ->
                      URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                          + "="
                          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Cookie", "sieve_annotate_session=" + session)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the login form (with its double-submit token); the raw answer. */
    HttpResponse<String> attemptLogin(String name, String password) throws Exception {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/login")).build(),
              HttpResponse.BodyHandlers.ofString());
      String loginToken = find(page.body(), "name=\"_login\" value=\"([^\"]+)\"");
      String cookie =
          page.headers().allValues("Set-Cookie").stream()
              .filter(c -> c.startsWith("sieve_annotate_login="))
              .findFirst()
              .orElseThrow();
      String body =
          "_login="
              + loginToken
              + "&username="
              + name
              + "&password="
              + URLEncoder.encode(password, StandardCharsets.UTF_8);
      return http.send(
          HttpRequest.newBuilder(URI.create(base + "/login"))
              .header("Cookie", cookie.split(";")[0])
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    void login(String name, String password) throws Exception {
      HttpResponse<String> r = attemptLogin(name, password);
      assertThat(r.statusCode()).isEqualTo(302);
      String set =
          r.headers().allValues("Set-Cookie").stream()
              .filter(c -> c.startsWith("sieve_annotate_session="))
              .findFirst()
              .orElseThrow();
      assertThat(set).contains("HttpOnly").contains("SameSite=Strict");
      session = set.substring("sieve_annotate_session=".length(), set.indexOf(';'));
      HttpResponse<String> page2 = get("/");
      for (int i = 0; i < 3 && page2.statusCode() == 302; i++) {
        page2 = get(page2.headers().firstValue("Location").orElseThrow());
      }
      csrf = find(page2.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
    }
  }

  static String find(String body, String regex) {
    Matcher m = Pattern.compile(regex).matcher(body);
    if (!m.find()) {
      throw new AssertionError(regex + " not in:\n" + body);
    }
    return m.group(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void csrfRolesHeadersAndTenantIsolation(String backend) throws Exception {
    try (AnnotateApp app =
        AnnotateApp.start(
            new AnnotateApp.Config(
                Backends.open(backend, tmp),
                tmp.resolve("overlays"),
                null,
                "127.0.0.1",
                0,
                0,
                2,
                false,
                Clock.systemUTC()))) {
      String adminPw = app.bootstrapAdmin("admin").orElseThrow();
      app.accounts()
          .create("teacher-a", "correct horse battery", Accounts.Role.TEACHER, "district-a");
      app.accounts()
          .create("teacher-b", "correct horse battery", Accounts.Role.TEACHER, "district-b");
      app.accounts().create("ann", "correct horse battery", Accounts.Role.ANNOTATOR, null);
      String base = "http://127.0.0.1:" + app.httpPort();

      // A report from district-a becomes an item of district-a.
      ManagedChannel ch =
          ManagedChannelBuilder.forAddress("127.0.0.1", app.grpcPort()).usePlaintext().build();
      try {
        FeedbackGrpc.newBlockingStub(ch)
            .submitReport(
                FeedbackReport.newBuilder()
                    .setReport(
                        ReportVerdictRequest.newBuilder()
                            .setUrl("https://www.khanacademy.org/")
                            .setTenantId("district-a")
                            .setKind(ReportVerdictRequest.Kind.KIND_WRONG_BLOCK))
                    .build());
      } finally {
        ch.shutdownNow();
      }
      String itemId =
          app.db()
              .one("SELECT id FROM items WHERE tenant_id = 'district-a'", rs -> rs.getString(1))
              .orElseThrow();

      User anonymous = new User(base);
      assertThat(anonymous.get("/admin").statusCode()).isEqualTo(302);
      assertThat(anonymous.get("/admin").headers().firstValue("Location")).hasValue("/login");
      HttpResponse<String> loginPage = anonymous.get("/login");
      assertThat(loginPage.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'")
          .contains("frame-ancestors 'none'");
      assertThat(loginPage.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

      User a = new User(base);
      a.login("teacher-a", "correct horse battery");
      User b = new User(base);
      b.login("teacher-b", "correct horse battery");

      // CSRF: the same form without the token, or with another session's token, changes nothing.
      Map<String, String> override =
          new LinkedHashMap<>(
              Map.of(
                  "host",
                  "www.khanacademy.org",
                  "effect",
                  "allow",
                  "minutes",
                  "120",
                  "reason",
                  "class"));
      assertThat(a.post("/overrides", override).statusCode()).isEqualTo(403);
      override.put("_csrf", b.csrf);
      assertThat(a.post("/overrides", override).statusCode()).isEqualTo(403);
      assertThat(app.overrides().activeSet().getOverridesCount()).isZero();
      override.put("_csrf", a.csrf);
      assertThat(a.post("/overrides", override).statusCode()).isEqualTo(302);
      String overrideId = app.overrides().activeSet().getOverrides(0).getId();
      assertThat(app.overrides().activeSet().getOverrides(0).getTenantId()).isEqualTo("district-a");

      // A teacher naming another tenant is refused; they see only their own tenant's things.
      Map<String, String> cross = new LinkedHashMap<>(override);
      cross.put("_csrf", b.csrf);
      cross.put("tenant", "district-a");
      assertThat(b.post("/overrides", cross).statusCode()).isEqualTo(403);
      assertThat(b.get("/overrides").body()).doesNotContain("khanacademy");
      assertThat(a.get("/overrides").body()).contains("khanacademy");
      assertThat(
              b.post("/overrides/" + overrideId + "/revoke", Map.of("_csrf", b.csrf)).statusCode())
          .isEqualTo(404);
      assertThat(app.overrides().activeSet().getOverridesCount()).isEqualTo(1);
      assertThat(b.get("/items/" + itemId).statusCode()).isEqualTo(404);
      assertThat(b.get("/reports").body()).doesNotContain("khanacademy");
      assertThat(a.get("/items/" + itemId).statusCode()).isEqualTo(200);
      assertThat(a.get("/reports").body()).contains("khanacademy");
      // Teachers label nothing and open no admin page.
      assertThat(
              a.post(
                      "/items/" + itemId + "/label",
                      Map.of("_csrf", a.csrf, "category", "education"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(a.get("/admin").statusCode()).isEqualTo(403);
      assertThat(a.get("/agreement").statusCode()).isEqualTo(403);

      // Annotators label but set no overrides and export nothing.
      User ann = new User(base);
      ann.login("ann", "correct horse battery");
      assertThat(ann.get("/overrides").statusCode()).isEqualTo(403);
      assertThat(ann.post("/admin/export", Map.of("_csrf", ann.csrf)).statusCode()).isEqualTo(403);
      assertThat(
              ann.post(
                      "/items/" + itemId + "/label",
                      Map.of("_csrf", ann.csrf, "category", "not_a_category"))
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              ann.post(
                      "/items/" + itemId + "/label",
                      Map.of("_csrf", ann.csrf, "category", "education"))
                  .statusCode())
          .isEqualTo(302);

      // Teacher a revokes their own override; after logout the session is dead.
      assertThat(
              a.post("/overrides/" + overrideId + "/revoke", Map.of("_csrf", a.csrf)).statusCode())
          .isEqualTo(302);
      assertThat(app.overrides().activeSet().getOverridesCount()).isZero();
      assertThat(a.post("/logout", Map.of("_csrf", a.csrf)).statusCode()).isEqualTo(302);
      assertThat(a.get("/overrides").statusCode()).isEqualTo(302);

      // A wrong password gets no session.
      User wrong = new User(base);
      HttpResponse<String> page =
          wrong.http.send(
              HttpRequest.newBuilder(URI.create(base + "/login")).build(),
              HttpResponse.BodyHandlers.ofString());
      String token = find(page.body(), "name=\"_login\" value=\"([^\"]+)\"");
      HttpResponse<String> r =
          wrong.http.send(
              HttpRequest.newBuilder(URI.create(base + "/login"))
                  .header("Cookie", "sieve_annotate_login=" + token)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "_login=" + token + "&username=admin&password=" + adminPw + "x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.headers().firstValue("Location")).hasValue("/login?error=1");
      assertThat(r.headers().allValues("Set-Cookie"))
          .noneMatch(
              c ->
                  c.startsWith("sieve_annotate_session=")
                      && !c.startsWith("sieve_annotate_session=;"));
    }
  }
}
