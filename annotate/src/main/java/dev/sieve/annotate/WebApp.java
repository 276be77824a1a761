package dev.sieve.annotate;

import dev.sieve.annotate.Accounts.Account;
import dev.sieve.annotate.Accounts.Role;
import dev.sieve.annotate.Accounts.Session;
import dev.sieve.core.taxonomy.Taxonomy;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web application: server-rendered pages (no client framework; one small script for keyboard
 * shortcuts and reveal), form posts with a per-session CSRF token, role checks on every route.
 *
 * <p>Security headers on every response: a Content-Security-Policy that allows only this origin's
 * script and styles and no frames from elsewhere; the item's HTML is shown in an {@code iframe
 * srcdoc} with {@code sandbox=""} (no scripts, no forms, no same-origin access) and its own CSP
 * meta tag ({@code default-src 'none'}: no remote loads, images, fonts or styles from the web).
 */
public final class WebApp {

  private static final Logger log = LoggerFactory.getLogger(WebApp.class);
  static final String SESSION_COOKIE = "sieve_annotate_session";
  static final String LOGIN_CSRF_COOKIE = "sieve_annotate_login";
  static final String PAGE_CSP =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self';"
          + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  static final String RENDER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  static final String SHORTCUT_KEYS = "123456789qwertyiopasdfghjklzxcbm";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final AnnotateApp app;
  private final Views views = new Views();
  private final boolean secureCookies;
  private Javalin javalin;

  WebApp(AnnotateApp app, boolean secureCookies) {
    this.app = app;
    this.secureCookies = secureCookies;
  }

  Javalin start(String host, int port) {
    javalin =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.staticFiles.add(
                  s -> {
                    s.hostedPath = "/static";
                    s.directory = "/static";
                    s.location = Location.CLASSPATH;
                  });
              config.http.maxRequestSize = 64L * 1024 * 1024;
            });
    javalin.before(
        ctx -> {
          ctx.header("Content-Security-Policy", PAGE_CSP);
          ctx.header("X-Content-Type-Options", "nosniff");
          ctx.header("Referrer-Policy", "no-referrer");
          ctx.header("Cache-Control", "no-store");
        });
    javalin.before(
        ctx -> {
          if (ctx.method().name().equals("POST") && !ctx.path().equals("/login")) {
            Session s = session(ctx);
            if (s == null) {
              throw new Forbidden("log in first");
            }
            String sent = ctx.formParam("_csrf");
            if (sent == null
                || !MessageDigest.isEqual(
                    sent.getBytes(StandardCharsets.UTF_8),
                    s.csrfToken().getBytes(StandardCharsets.UTF_8))) {
              throw new Forbidden("missing or wrong CSRF token: reload the page and try again");
            }
          }
        });
    javalin.exception(NeedLogin.class, (e, ctx) -> ctx.redirect("/login"));
    javalin.exception(
        Forbidden.class, (e, ctx) -> error(ctx, HttpStatus.FORBIDDEN, e.getMessage()));
    javalin.exception(
        SecurityException.class, (e, ctx) -> error(ctx, HttpStatus.FORBIDDEN, e.getMessage()));
    javalin.exception(NotFound.class, (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, "not found"));
    javalin.exception(
        IllegalArgumentException.class,
        (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    javalin.exception(
        Exception.class,
        (e, ctx) -> {
          String ref = Long.toHexString(System.nanoTime());
          log.error("request {} {} failed (ref {})", ctx.method(), ctx.path(), ref, e);
          error(
              ctx,
              HttpStatus.INTERNAL_SERVER_ERROR,
              "something failed on our side (reference " + ref + ")");
        });

    javalin.get("/healthz", ctx -> ctx.result("ok"));
    javalin.get("/login", this::loginPage);
    javalin.post("/login", this::login);
    javalin.post("/logout", this::logout);
    javalin.get("/account/password", this::passwordPage);
    javalin.post("/account/password", this::changePassword);
    javalin.get(
        "/",
        ctx -> {
          Account a = require(ctx);
          ctx.redirect(
              switch (a.role()) {
                case ADMIN -> "/admin";
                case ANNOTATOR -> "/queue";
                case TEACHER -> "/overrides";
              });
        });
    javalin.get("/queue", this::queue);
    javalin.get("/items/{id}", this::itemPage);
    javalin.post("/items/{id}/label", this::label);
    javalin.post("/items/{id}/gold", this::gold);
    javalin.get("/admin", this::adminPage);
    javalin.post("/admin/import", this::importFile);
    javalin.post("/admin/batches", this::drawBatch);
    javalin.post("/admin/export", this::export);
    javalin.post("/admin/users", this::createUser);
    javalin.get("/adjudicate", this::adjudicateList);
    javalin.post("/adjudicate/{id}", this::adjudicate);
    javalin.get("/agreement", this::agreement);
    javalin.get("/overrides", this::overridesPage);
    javalin.post("/overrides", this::createOverride);
    javalin.post("/overrides/{id}/revoke", this::revokeOverride);
    javalin.get("/reports", this::reportsPage);
    javalin.start(host, port);
    return javalin;
  }

  void stop() {
    if (javalin != null) {
      javalin.stop();
    }
  }

  int port() {
    return javalin.port();
  }

  boolean started() {
    return javalin != null;
  }

  // ---- auth

  private void loginPage(Context ctx) {
    String token = Passwords.token();
    setCookie(ctx, LOGIN_CSRF_COOKIE, token, 1800);
    Map<String, Object> m = base(ctx, "Log in", null);
    m.put("loginCsrf", token);
    m.put("error", ctx.queryParam("error") != null);
    ctx.html(views.render("login", m));
  }

  private void login(Context ctx) {
    String cookie = ctx.cookie(LOGIN_CSRF_COOKIE);
    String sent = ctx.formParam("_login");
    if (cookie == null
        || sent == null
        || !MessageDigest.isEqual(
            cookie.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      throw new Forbidden("the login form expired: reload it");
    }
    Optional<String> token;
    try {
      token = app.accounts().login(ctx.formParam("username"), ctx.formParam("password"), ctx.ip());
    } catch (Accounts.Throttled e) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      ctx.status(HttpStatus.TOO_MANY_REQUESTS);
      Map<String, Object> m = base(ctx, "Log in", null);
      String fresh = Passwords.token();
      setCookie(ctx, LOGIN_CSRF_COOKIE, fresh, 1800);
      m.put("loginCsrf", fresh);
      m.put("throttled", e.getMessage());
      ctx.html(views.render("login", m));
      return;
    }
    if (token.isEmpty()) {
      ctx.redirect("/login?error=1");
      return;
    }
    setCookie(ctx, LOGIN_CSRF_COOKIE, "", 0);
    setCookie(ctx, SESSION_COOKIE, token.get(), (int) Accounts.SESSION_TTL.toSeconds());
    ctx.redirect("/");
  }

  private void passwordPage(Context ctx) {
    Account a = require(ctx);
    Map<String, Object> m = base(ctx, "Change password", a);
    String msg = ctx.queryParam("msg");
    if (msg != null) {
      m.put("flash", msg);
    }
    ctx.html(views.render("password", m));
  }

  /** Password change: the CSRF filter above has checked the session's token already. */
  private void changePassword(Context ctx) {
    Account a = require(ctx);
    try {
      app.accounts()
          .changePassword(
              a,
              ctx.formParam("current"),
              ctx.formParam("password"),
              ctx.formParam("confirm"),
              ctx.cookie(SESSION_COOKIE));
    } catch (IllegalArgumentException | Accounts.Throttled e) {
      ctx.status(
          e instanceof Accounts.Throttled ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.BAD_REQUEST);
      Map<String, Object> m = base(ctx, "Change password", a);
      m.put("problem", e.getMessage());
      ctx.html(views.render("password", m));
      return;
    }
    ctx.redirect(
        "/account/password?msg="
            + URLEncoder.encode(
                "password changed; your other sessions were logged out", StandardCharsets.UTF_8));
  }

  private void logout(Context ctx) {
    app.accounts().logout(ctx.cookie(SESSION_COOKIE));
    setCookie(ctx, SESSION_COOKIE, "", 0);
    ctx.redirect("/login");
  }

  private void setCookie(Context ctx, String name, String value, int maxAge) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            name
                + "="
                + value
                + "; Path=/; Max-Age="
                + maxAge
                + "; HttpOnly; SameSite=Strict"
                + (secureCookies ? "; Secure" : ""));
  }

  private Session session(Context ctx) {
    Session cached = ctx.attribute("session");
    if (cached != null) {
      return cached;
    }
    Session s = app.accounts().session(ctx.cookie(SESSION_COOKIE)).orElse(null);
    if (s != null) {
      ctx.attribute("session", s);
    }
    return s;
  }

  private Account require(Context ctx) {
    Session s = session(ctx);
    if (s == null) {
      throw new NeedLogin();
    }
    return s.account();
  }

  private Account requireRole(Context ctx, Role... roles) {
    Account a = require(ctx);
    for (Role r : roles) {
      if (a.role() == r) {
        return a;
      }
    }
    throw new Forbidden("your role (" + a.role().id() + ") cannot open this page");
  }

  // ---- labelling

  private void queue(Context ctx) {
    Account a = requireRole(ctx, Role.ANNOTATOR, Role.ADMIN);
    var next = app.labelling().next(a);
    if (next.isPresent()) {
      ctx.redirect("/items/" + next.get().id());
      return;
    }
    Map<String, Object> m = base(ctx, "Queue", a);
    ctx.html(views.render("queue-empty", m));
  }

  private void itemPage(Context ctx) {
    Account a = require(ctx);
    Item item = app.labelling().item(ctx.pathParam("id"), a).orElseThrow(NotFound::new);
    Map<String, Object> m = base(ctx, "Item", a);
    m.put("item", item);
    m.put("hasUrl", item.url() != null);
    m.put("text", item.text() == null ? "" : item.text());
    m.put("hasText", item.text() != null && !item.text().isBlank());
    m.put("hasHtml", item.html() != null && !item.html().isBlank());
    m.put("srcdoc", item.html() == null ? "" : sandboxedDocument(item.html()));
    m.put("sensitive", item.sensitive());
    m.put("sensitiveWhat", sensitiveWhat(item));
    List<Map<String, Object>> scores = new ArrayList<>();
    item.scores().entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(
            e -> {
              Map<String, Object> s = new HashMap<>();
              s.put("category", e.getKey());
              s.put("score", String.format(Locale.ROOT, "%.3f", e.getValue()));
              s.put("width", Math.round(e.getValue() * 100));
              scores.add(s);
            });
    m.put("scores", scores);
    m.put("evidence", item.evidence());
    m.put(
        "queueRule",
        item.samplingRule() == null ? "(in the pool, not drawn yet)" : item.samplingRule());
    m.put(
        "inclusion",
        item.inclusionProbability() == null
            ? ""
            : String.format(Locale.ROOT, "%.4f", item.inclusionProbability()));
    List<Labelling.Label> labels = app.labelling().labels(item.id());
    Set<String> mine =
        labels.stream()
            .filter(l -> l.accountId().equals(a.id()))
            .findFirst()
            .map(Labelling.Label::categories)
            .orElse(Set.of());
    m.put("categories", categoryRows(mine, item.focusCategory()));
    boolean open = "queued".equals(item.state()) && item.finalLabels() == null;
    m.put("canLabel", a.canLabel() && open);
    m.put("remaining", a.canLabel() ? app.labelling().remaining(a) : 0);
    m.put("isAdminView", a.isAdmin());
    m.put(
        "labels",
        labels.stream()
            .map(
                l ->
                    Map.of(
                        "user",
                        l.username(),
                        "cats",
                        String.join(", ", l.categories()),
                        "unsure",
                        l.unsure(),
                        "note",
                        l.note()))
            .toList());
    m.put(
        "finalLabels",
        item.finalLabels() == null
            ? null
            : (item.finalLabels().isEmpty() ? "(none)" : item.finalLabels()));
    m.put("gold", item.goldLabels());
    m.put("focus", item.focusCategory());
    m.put("given", item.givenLabels());
    ctx.html(views.render("item", m));
  }

  private List<Map<String, Object>> categoryRows(Set<String> checked, String focus) {
    List<Map<String, Object>> rows = new ArrayList<>();
    int i = 0;
    for (var c : Taxonomy.v1().categories()) {
      Map<String, Object> r = new HashMap<>();
      r.put("id", c.id());
      r.put("name", app.guidelines().name(c.id()));
      r.put("definition", app.guidelines().definition(c.id()));
      r.put("key", i < SHORTCUT_KEYS.length() ? String.valueOf(SHORTCUT_KEYS.charAt(i)) : "");
      r.put("checked", checked.contains(c.id()));
      r.put("focus", c.id().equals(focus));
      rows.add(r);
      i++;
    }
    return rows;
  }

  private static String sensitiveWhat(Item item) {
    Set<String> what = new TreeSet<>();
    for (String c : List.of("adult", "self_harm")) {
      if (c.equals(item.focusCategory())
          || item.scores().getOrDefault(c, 0.0) >= 0.3
          || c.equals(item.stratum())) {
        what.add(c.equals("adult") ? "sexual content" : "self-harm or suicide");
      }
    }
    return what.isEmpty() ? "sensitive content" : String.join(" and ", what);
  }

  /**
   * The page as the student saw it, minus everything active: scripts, frames, objects, base and
   * refresh tags go; a CSP meta tag is put first so nothing remote loads. The iframe's empty
   * sandbox is the second wall (no script runs even if one slipped through).
   */
  static String sandboxedDocument(String html) {
    Document doc = Jsoup.parse(html);
    doc.select(
            "script, noscript, iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], link")
        .remove();
    doc.getAllElements()
        .forEach(
            el ->
                el.attributes().asList().stream()
                    .filter(at -> at.getKey().toLowerCase(Locale.ROOT).startsWith("on"))
                    .toList()
                    .forEach(at -> el.removeAttr(at.getKey())));
    doc.head()
        .prepend("<meta http-equiv=\"Content-Security-Policy\" content=\"" + RENDER_CSP + "\">");
    return doc.outerHtml();
  }

  private void label(Context ctx) {
    Account a = requireRole(ctx, Role.ANNOTATOR, Role.ADMIN);
    String id = ctx.pathParam("id");
    app.labelling().item(id, a).orElseThrow(NotFound::new);
    app.labelling()
        .submit(
            a,
            id,
            new TreeSet<>(ctx.formParams("category")),
            ctx.formParam("unsure") != null,
            ctx.formParam("note"));
    ctx.redirect("/queue");
  }

  private void gold(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    String id = ctx.pathParam("id");
    app.labelling().item(id, a).orElseThrow(NotFound::new);
    Set<String> cats = new TreeSet<>(ctx.formParams("category"));
    for (String c : cats) {
      if (!Taxonomy.v1().contains(c)) {
        throw new IllegalArgumentException("unknown category: " + c);
      }
    }
    app.queues().setGold(id, cats);
    ctx.redirect("/items/" + id);
  }

  // ---- admin

  private void adminPage(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    Map<String, Object> m = base(ctx, "Admin", a);
    m.put(
        "counts",
        app.queues().counts().entrySet().stream()
            .map(e -> Map.of("k", e.getKey(), "v", e.getValue()))
            .toList());
    m.put(
        "queues",
        Queues.QUEUES.stream()
            .map(q -> Map.of("q", q, "rule", Queues.RULES.get(q), "share", defaultShare(q)))
            .toList());
    m.put("reportRule", Queues.RULES.get("report"));
    m.put(
        "batches",
        app.db()
            .query(
                "SELECT name, created_at, created_by, overlap, summary_json FROM batches ORDER BY created_at DESC",
                rs ->
                    Map.of(
                        "name",
                        rs.getString(1),
                        "at",
                        TIME.format(Instant.ofEpochMilli(rs.getLong(2))),
                        "by",
                        rs.getString(3),
                        "overlap",
                        rs.getInt(4),
                        "summary",
                        rs.getString(5))));
    m.put(
        "exports",
        app.export().list().stream()
            .map(
                r ->
                    Map.of(
                        "file",
                        r[0].isEmpty() ? "(no dataset corrections)" : r[0],
                        "sha",
                        r[1],
                        "corrections",
                        r[2],
                        "traffic",
                        r[3],
                        "at",
                        TIME.format(Instant.ofEpochMilli(Long.parseLong(r[4]))),
                        "by",
                        r[5],
                        "skipped",
                        r[6],
                        "skippedItems",
                        r[7]))
            .toList());
    m.put(
        "users",
        app.accounts().list().stream()
            .map(
                u ->
                    Map.of(
                        "name",
                        u.username(),
                        "role",
                        u.role().id(),
                        "tenant",
                        u.tenantId() == null ? "" : u.tenantId()))
            .toList());
    m.put("flash", ctx.queryParam("msg"));
    ctx.html(views.render("admin", m));
  }

  private static String defaultShare(String q) {
    return switch (q) {
      case "review" -> "0.2";
      case "disagreement" -> "0.1";
      case "uncertainty" -> "0.3";
      case "margin" -> "0.1";
      default -> "0.3";
    };
  }

  private void importFile(Context ctx) throws Exception {
    Account a = requireRole(ctx, Role.ADMIN);
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      throw new IllegalArgumentException("choose a file to import");
    }
    String kind = ctx.formParam("kind");
    Queues.ImportResult r;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(file.content(), StandardCharsets.UTF_8))) {
      r =
          "review".equals(kind)
              ? app.queues().importReviewQueue(in)
              : app.queues().importBatchOutput(in);
    }
    app.db()
        .tx(
            c -> {
              Audit.record(
                  c,
                  app.clock(),
                  a.username(),
                  null,
                  "import",
                  file.filename() + " (" + kind + "): " + r);
              return null;
            });
    ctx.redirect(
        "/admin?msg="
            + URLEncoder.encode(
                "imported "
                    + file.filename()
                    + ": "
                    + r.added()
                    + " added, "
                    + r.duplicates()
                    + " duplicates collapsed, "
                    + r.skipped()
                    + " skipped (errors or degraded verdicts), "
                    + r.malformed()
                    + " malformed",
                StandardCharsets.UTF_8));
  }

  private void drawBatch(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    Map<String, Double> shares = new LinkedHashMap<>();
    for (String q : Queues.QUEUES) {
      shares.put(q, parseDouble(ctx.formParam("share_" + q), "share of " + q));
    }
    Map<String, Integer> budgets = new TreeMap<>();
    String budgetText = ctx.formParam("budgets");
    if (budgetText != null && !budgetText.isBlank()) {
      for (String part : budgetText.split(",")) {
        String[] kv = part.split("=", 2);
        if (kv.length != 2
            || (!Taxonomy.v1().contains(kv[0].strip()) && !kv[0].strip().equals("none"))) {
          throw new IllegalArgumentException(
              "budgets: category=count, comma separated (e.g. adult=10,self_harm=5)");
        }
        budgets.put(kv[0].strip(), (int) parseDouble(kv[1], "budget of " + kv[0]));
      }
    }
    String name =
        ctx.formParam("name") == null || ctx.formParam("name").isBlank()
            ? "batch"
            : ctx.formParam("name").strip();
    long seed =
        ctx.formParam("seed") == null || ctx.formParam("seed").isBlank()
            ? System.nanoTime()
            : (long) parseDouble(ctx.formParam("seed"), "seed");
    var spec =
        new Queues.BatchSpec(
            name,
            (int) parseDouble(ctx.formParam("size"), "size"),
            shares,
            (int) parseDouble(ctx.formParam("overlap"), "overlap"),
            budgets,
            seed);
    var r = app.queues().drawBatch(spec, a.username());
    ctx.redirect(
        "/admin?msg="
            + URLEncoder.encode(
                "batch "
                    + name
                    + " drawn: "
                    + r.drawn()
                    + "; "
                    + r.nearDuplicates()
                    + " near-duplicates skipped, "
                    + r.overBudget()
                    + " over a category budget",
                StandardCharsets.UTF_8));
  }

  private static double parseDouble(String s, String what) {
    try {
      double v = Double.parseDouble(s == null ? "" : s.strip());
      if (Double.isNaN(v) || v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": a non-negative number is required");
    }
  }

  private void export(Context ctx) throws Exception {
    Account a = requireRole(ctx, Role.ADMIN);
    var r = app.export().export(a);
    ctx.redirect(
        "/admin?msg="
            + URLEncoder.encode(
                r.items() == 0
                    ? "nothing new to export"
                    : "exported "
                        + r.items()
                        + " items: "
                        + r.corrections()
                        + " corrections in "
                        + (r.overlayFile() == null
                            ? "(none)"
                            : "data/overlays/" + r.overlayFile().getFileName())
                        + ", "
                        + r.trafficRecords()
                        + " traffic records"
                        + (r.skipped().isEmpty()
                            ? ""
                            : "; "
                                + r.skipped().size()
                                + " items could not become records: "
                                + String.join(
                                    "; ",
                                    r.skipped().stream()
                                        .map(k -> k.item() + " " + k.url() + " (" + k.why() + ")")
                                        .toList())),
                StandardCharsets.UTF_8));
  }

  private void createUser(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    Role role = Role.parse(ctx.formParam("role") == null ? "annotator" : ctx.formParam("role"));
    Account created =
        app.accounts()
            .create(
                ctx.formParam("username"),
                ctx.formParam("password"),
                role,
                ctx.formParam("tenant"));
    app.db()
        .tx(
            c -> {
              Audit.record(
                  c,
                  app.clock(),
                  a.username(),
                  created.tenantId(),
                  "account.create",
                  created.username() + " (" + role.id() + ")");
              return null;
            });
    ctx.redirect(
        "/admin?msg="
            + URLEncoder.encode(
                "account " + created.username() + " created", StandardCharsets.UTF_8));
  }

  private void adjudicateList(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    Map<String, Object> m = base(ctx, "Adjudication", a);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Item item : app.labelling().needingAdjudication()) {
      Map<String, Object> r = new HashMap<>();
      r.put("id", item.id());
      r.put("what", item.url() != null ? item.url() : item.key());
      r.put(
          "labels",
          app.labelling().labels(item.id()).stream()
              .map(
                  l ->
                      Map.of(
                          "user",
                          l.username(),
                          "cats",
                          l.categories().isEmpty() ? "(none)" : String.join(", ", l.categories()),
                          "unsure",
                          l.unsure(),
                          "note",
                          l.note()))
              .toList());
      Set<String> union = new TreeSet<>();
      app.labelling().labels(item.id()).forEach(l -> union.addAll(l.categories()));
      r.put(
          "categories",
          categoryRows(union, item.focusCategory()).stream().filter(c -> true).toList());
      rows.add(r);
    }
    m.put("items", rows);
    m.put("none", rows.isEmpty());
    ctx.html(views.render("adjudicate", m));
  }

  private void adjudicate(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    app.labelling()
        .adjudicate(
            a,
            ctx.pathParam("id"),
            new TreeSet<>(ctx.formParams("category")),
            ctx.formParam("note"));
    ctx.redirect("/adjudicate");
  }

  private void agreement(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN);
    Map<String, Object> m = base(ctx, "Agreement", a);
    var answers = Agreement.sureAnswers(app.db());
    List<String> cats = Taxonomy.v1().ids();
    m.put(
        "pairs",
        Agreement.cohenPerPair(answers, cats).stream()
            .map(p -> Map.of("a", p.a(), "b", p.b(), "items", p.items(), "kappa", fmt(p.kappa())))
            .toList());
    m.put(
        "categories",
        Agreement.fleissPerCategory(answers, cats).stream()
            .filter(c -> c.items() > 0 && c.positives() > 0)
            .map(
                c ->
                    Map.of(
                        "category",
                        c.category(),
                        "items",
                        c.items(),
                        "positives",
                        c.positives(),
                        "kappa",
                        fmt(c.kappa())))
            .toList());
    m.put(
        "gold",
        Agreement.goldAccuracy(answers, Agreement.gold(app.db())).stream()
            .map(
                g ->
                    Map.of(
                        "annotator",
                        g.annotator(),
                        "items",
                        g.items(),
                        "exact",
                        fmt(g.exactRate()),
                        "decisions",
                        fmt(g.decisionAccuracy())))
            .toList());
    m.put("answers", answers.size());
    ctx.html(views.render("agreement", m));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "undefined" : String.format(Locale.ROOT, "%.3f", v);
  }

  // ---- overrides and reports

  private void overridesPage(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN, Role.TEACHER);
    Map<String, Object> m = base(ctx, "Overrides", a);
    long now = app.clock().millis();
    m.put(
        "overrides",
        app.overrides().list(a).stream()
            .map(
                o -> {
                  Map<String, Object> r = new HashMap<>();
                  r.put("id", o.id());
                  r.put("tenant", o.tenantId());
                  r.put("host", o.host());
                  r.put("effect", o.effect());
                  r.put("created", TIME.format(Instant.ofEpochMilli(o.createdAt())));
                  r.put("expires", TIME.format(Instant.ofEpochMilli(o.expiresAt())));
                  r.put("by", o.createdBy());
                  r.put("reason", o.reason());
                  r.put("active", o.activeAt(now));
                  r.put(
                      "status",
                      o.revokedAt() != null
                          ? "revoked by " + o.revokedBy()
                          : o.expiresAt() <= now ? "expired" : "active");
                  return r;
                })
            .toList());
    m.put("tenantFixed", a.role() == Role.TEACHER ? a.tenantId() : null);
    m.put(
        "audit",
        Audit.latest(app.db(), a.isAdmin() ? null : a.tenantId(), 30).stream()
            .filter(e -> e.action().startsWith("override"))
            .map(
                e ->
                    Map.of(
                        "at",
                        TIME.format(Instant.ofEpochMilli(e.at())),
                        "actor",
                        e.actor(),
                        "tenant",
                        e.tenantId() == null ? "" : e.tenantId(),
                        "action",
                        e.action(),
                        "detail",
                        e.detail()))
            .toList());
    ctx.html(views.render("overrides", m));
  }

  private void createOverride(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN, Role.TEACHER);
    int minutes = (int) parseDouble(ctx.formParam("minutes"), "duration in minutes");
    app.overrides()
        .create(
            a,
            ctx.formParam("tenant"),
            ctx.formParam("host"),
            ctx.formParam("effect"),
            Duration.ofMinutes(minutes),
            ctx.formParam("reason"));
    ctx.redirect("/overrides");
  }

  private void revokeOverride(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN, Role.TEACHER);
    if (!app.overrides().revoke(a, ctx.pathParam("id"))) {
      throw new NotFound();
    }
    ctx.redirect("/overrides");
  }

  private void reportsPage(Context ctx) {
    Account a = requireRole(ctx, Role.ADMIN, Role.TEACHER);
    Map<String, Object> m = base(ctx, "Reports", a);
    String sql =
        "SELECT r.received_at, r.tenant_id, r.url, r.kind, r.categories, r.note, i.final_labels, i.id FROM reports r"
            + " JOIN items i ON i.id = r.item_id"
            + (a.isAdmin() ? "" : " WHERE r.tenant_id = ?")
            + " ORDER BY r.received_at DESC";
    Database.RowMapper<Map<String, Object>> mapper =
        rs -> {
          Map<String, Object> r = new HashMap<>();
          r.put("at", TIME.format(Instant.ofEpochMilli(rs.getLong(1))));
          r.put("tenant", rs.getString(2));
          r.put("url", rs.getString(3));
          r.put("kind", rs.getString(4).replace('_', ' '));
          r.put("categories", rs.getString(5));
          r.put("note", rs.getString(6));
          r.put(
              "status",
              rs.getString(7) == null
                  ? "in the queue"
                  : "labelled: " + (rs.getString(7).isEmpty() ? "(none)" : rs.getString(7)));
          r.put("item", rs.getString(8));
          return r;
        };
    m.put(
        "reports",
        a.isAdmin() ? app.db().query(sql, mapper) : app.db().query(sql, mapper, a.tenantId()));
    ctx.html(views.render("reports", m));
  }

  // ---- shared

  private Map<String, Object> base(Context ctx, String title, Account a) {
    Map<String, Object> m = new HashMap<>();
    m.put("title", title);
    if (a != null) {
      Session s = session(ctx);
      m.put("user", a.username());
      m.put("role", a.role().id());
      m.put("tenant", a.tenantId());
      m.put("csrf", s.csrfToken());
      m.put("isAdmin", a.isAdmin());
      m.put("isTeacher", a.role() == Role.TEACHER);
      m.put("canLabelRole", a.canLabel());
    }
    return m;
  }

  private void error(Context ctx, HttpStatus status, String message) {
    Session s = session(ctx);
    Map<String, Object> m = base(ctx, status.getMessage(), s == null ? null : s.account());
    m.put("status", status.getCode());
    m.put("message", message);
    ctx.status(status).html(views.render("error", m));
  }

  static final class Forbidden extends RuntimeException {
    Forbidden(String message) {
      super(message);
    }
  }

  static final class NeedLogin extends RuntimeException {
    NeedLogin() {
      super("log in first");
    }
  }

  static final class NotFound extends RuntimeException {
    NotFound() {
      super("not found");
    }
  }
}
