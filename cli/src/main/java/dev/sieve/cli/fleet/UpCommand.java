package dev.sieve.cli.fleet;

import dev.sieve.cli.support.DurationConverter;
import dev.sieve.cli.support.HealthProbe;
import dev.sieve.cli.support.HealthProbe.Health;
import dev.sieve.cli.support.HostPort;
import dev.sieve.cli.support.LocalTls;
import dev.sieve.cli.support.SieveLayout;
import dev.sieve.core.security.Loopback;
import dev.sieve.core.util.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sieve up}: runs the router and the built tiers as separate local processes on loopback,
 * waits until each reports SERVING on grpc.health.v1, and leaves them running in the background.
 *
 * <p>Run again on a partly dead fleet it restarts what died (a crashed tier, the router) and keeps
 * what runs, instead of asking for {@code ./sieve down} first: restarting one tier must not cost
 * the others their warm models.
 *
 * <p>Separate processes (not threads in this JVM) because that is how the fleet runs in production:
 * real gRPC hops, real deadlines, one log per service, and a tier can be killed to watch the router
 * degrade.
 */
@Command(
    name = "up",
    description = {
      "Start the local fleet (router + built tiers) on loopback and wait until it is SERVING.",
      "",
      "Each service runs as a background process; a tier whose module is not built is not started",
      "(the router reports it NOT_DEPLOYED). Logs: .sieve/logs/<service>.log; pids and ports:",
      ".sieve/run/. When part of the fleet is still running, only what died is started again, on",
      "the ports it had (the running router's tier targets). Exit code 0 when everything is SERVING",
      "(or was already up), 1 otherwise. The annotation app (docs/annotation.md) starts after the fleet",
      "unless --no-annotate; if it cannot start, up says why and the exit code stays the fleet's."
    },
    mixinStandardHelpOptions = true)
public final class UpCommand implements Callable<Integer> {

  private static final int LOG_TAIL_LINES = 40;

  @Spec CommandSpec spec;

  @Option(names = "--router-port", description = "Router gRPC port (default: ${DEFAULT-VALUE}).")
  int routerPort = FleetService.ROUTER.defaultGrpcPort();

  @Option(names = "--url-port", description = "url-service gRPC port (default: ${DEFAULT-VALUE}).")
  int urlPort = FleetService.URL.defaultGrpcPort();

  @Option(
      names = "--content-port",
      description = "content-service gRPC port (default: ${DEFAULT-VALUE}).")
  int contentPort = FleetService.CONTENT.defaultGrpcPort();

  @Option(
      names = "--llm-port",
      description = "llm-fallback-service gRPC port (default: ${DEFAULT-VALUE}).")
  int llmPort = FleetService.LLM.defaultGrpcPort();

  @Option(
      names = "--router-metrics-port",
      description = "Router metrics HTTP port (default: ${DEFAULT-VALUE}).")
  int routerMetricsPort = FleetService.ROUTER.defaultMetricsPort();

  @Option(
      names = "--url-metrics-port",
      description = "url-service metrics port (default: ${DEFAULT-VALUE}).")
  int urlMetricsPort = FleetService.URL.defaultMetricsPort();

  @Option(
      names = "--content-metrics-port",
      description = "content-service metrics port (default: ${DEFAULT-VALUE}).")
  int contentMetricsPort = FleetService.CONTENT.defaultMetricsPort();

  @Option(
      names = "--llm-metrics-port",
      description = "llm-fallback-service metrics port (default: ${DEFAULT-VALUE}).")
  int llmMetricsPort = FleetService.LLM.defaultMetricsPort();

  @Option(
      names = "--tiers",
      split = ",",
      paramLabel = "TIER",
      description =
          "Tiers to start: url,content,llm, or none for the router alone (default: every built tier).")
  List<String> tiers;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "Policy file for the router (default: its embedded policy).")
  Path policy;

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      description = "How long to wait for every service to be SERVING (default: 120s).")
  Duration timeout = Duration.ofSeconds(120);

  @Option(
      names = "--bind-host",
      description = "Address the services bind (default: ${DEFAULT-VALUE}).")
  String bindHost = "127.0.0.1";

  @Option(
      names = "--tls",
      description = {
        "Serve with TLS: a throwaway local CA under .sieve/tls/ (kept between runs), TLS on the router's",
        "port and mutual TLS between router and tiers. The cli's commands use it automatically; other",
        "clients trust .sieve/tls/ca.crt."
      })
  boolean tls;

  @Option(
      names = "--icap-port",
      paramLabel = "PORT",
      description = {
        "Also start the ICAP adapter (docs/integrations.md) on this port, pointed at the router, once the",
        "fleet is SERVING: a proxy such as Squid then uses icap://127.0.0.1:PORT/reqmod and /respmod.",
        "0 (default): not started."
      })
  int icapPort;

  @Option(
      names = "--annotate-port",
      paramLabel = "PORT",
      description =
          "Port of the annotation web app (docs/annotation.md), started after the fleet (default: ${DEFAULT-VALUE}).")
  int annotatePort = AnnotateProcess.DEFAULT_HTTP_PORT;

  @Option(
      names = "--annotate-grpc-port",
      paramLabel = "PORT",
      description =
          "The annotation app's Feedback gRPC port (reports in, overrides out; default: ${DEFAULT-VALUE}).")
  int annotateGrpcPort = AnnotateProcess.DEFAULT_GRPC_PORT;

  @Option(
      names = "--no-annotate",
      description = "Do not start the annotation app (also: SIEVE_ANNOTATE=off).")
  boolean noAnnotate;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = {
        "Also serve the JSON/HTTP API (POST /v1/classify, /v1/classify:batch, GET /v1/categories,",
        "/v1/openapi.json; docs/integrations.md) from the router on this port. 0 (default): off."
      })
  int httpPort;

  @Option(
      names = "--jvm-opts",
      paramLabel = "OPTS",
      description =
          "Extra JVM options for every service, space separated (default: $SIEVE_SERVICE_JAVA_OPTS).")
  String jvmOpts = Settings.get("SIEVE_SERVICE_JAVA_OPTS", "");

  @Option(
      names = "--candidate",
      paramLabel = "TIER=MODEL_DIR",
      description =
          "Also start a candidate version of TIER serving MODEL_DIR (e.g. content=models/content-minilm-mlp/<version>);"
              + " the router compares it (shadow) or serves a share with it (canary). docs/operations.md, \"Shadow and canary\".")
  String candidate;

  @Option(
      names = "--candidate-mode",
      paramLabel = "shadow|canary",
      description = "How the candidate takes part (default: ${DEFAULT-VALUE}).")
  String candidateMode = "shadow";

  @Option(
      names = "--candidate-sample",
      description =
          "Share of the tier's answers also scored by the other version, off the served path (default: ${DEFAULT-VALUE}).")
  double candidateSample = 0.1;

  @Option(
      names = "--candidate-share",
      description =
          "Canary: share of tenants (or requests) served by the candidate (default: ${DEFAULT-VALUE}).")
  double candidateShare = 0.05;

  @Option(
      names = "--candidate-unit",
      paramLabel = "tenant|request",
      description = "Canary: what the share is of (default: ${DEFAULT-VALUE}).")
  String candidateUnit = "tenant";

  @Option(
      names = "--candidate-port",
      description = "Candidate gRPC port (default: ${DEFAULT-VALUE}).")
  int candidatePort = 50055;

  @Option(
      names = "--candidate-metrics-port",
      description = "Candidate metrics port (default: ${DEFAULT-VALUE}).")
  int candidateMetricsPort = 9095;

  @Option(
      names = "--candidate-log",
      paramLabel = "FILE",
      description =
          "Disagreement JSONL the router writes (default: .sieve/shadow/<tier>-disagreements.jsonl).")
  Path candidateLog;

  /** The parsed --candidate, set in call(). */
  private CandidateTierProcess.Spec candidateSpec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SieveLayout layout = SieveLayout.fromSettings();
    RunFiles files = new RunFiles(layout.runDir());

    Optional<Set<FleetService>> requested = requestedTiers(err);
    if (requested.isEmpty()) {
      return 2;
    }
    if (policy != null && !Files.isRegularFile(policy)) {
      err.println("sieve up: policy file " + policy + " does not exist");
      return 2;
    }
    Map<FleetService, Integer> grpcPorts = grpcPorts();
    if (!validPorts(grpcPorts, err)) {
      return 2;
    }
    if (candidate != null) {
      Optional<CandidateTierProcess.Spec> parsed = CandidateTierProcess.Spec.parse(candidate, err);
      if (parsed.isEmpty()) {
        return 2;
      }
      candidateSpec = parsed.get();
      if (!List.of("shadow", "canary").contains(candidateMode)
          || !List.of("tenant", "request").contains(candidateUnit)
          || !(candidateSample >= 0 && candidateSample <= 1)
          || !(candidateShare >= 0 && candidateShare <= 1)) {
        err.println(
            "sieve up: --candidate-mode shadow|canary, --candidate-unit tenant|request, --candidate-sample and"
                + " --candidate-share in [0, 1]");
        return 2;
      }
      if (grpcPorts.containsValue(candidatePort)) {
        err.println("sieve up: --candidate-port " + candidatePort + " is a fleet service's port");
        return 2;
      }
      if (candidateLog == null) {
        candidateLog =
            layout
                .home()
                .resolve(".sieve/shadow/" + candidateSpec.tier().tier() + "-disagreements.jsonl");
      }
    }
    if (httpPort < 0 || httpPort > 65_535) {
      err.printf("sieve up: --http-port %d is outside 1..65535 (0: no JSON/HTTP API)%n", httpPort);
      return 2;
    }
    if (icapPort < 0 || icapPort > 65_535) {
      err.printf("sieve up: --icap-port %d is outside 1..65535 (0: no adapter)%n", icapPort);
      return 2;
    }

    Optional<FleetLock> lock = FleetLock.tryAcquire(layout.runDir());
    if (lock.isEmpty()) {
      err.println(
          "sieve up: another `./sieve up` or `./sieve down` is running (lock "
              + layout.runDir().resolve(".lock")
              + ")");
      return 1;
    }
    try (FleetLock held = lock.get()) {
      int result = up(layout, files, requested.get(), grpcPorts, out, err);
      if (result == 0 && candidateSpec != null) {
        result =
            CandidateTierProcess.start(
                layout,
                files,
                candidateSpec,
                candidatePort,
                candidateMetricsPort,
                bindHost,
                jvmOpts.isBlank() ? List.of() : List.of(jvmOpts.strip().split("\\s+")),
                timeout,
                out,
                err);
        if (result == 0) {
          out.printf(
              "  the router compares it (%s, sample %s%s); disagreements: %s; report: ./sieve eval shadow %s%n",
              candidateMode,
              candidateSample,
              candidateMode.equals("canary")
                  ? ", share " + candidateShare + " of " + candidateUnit + "s"
                  : "",
              display(candidateLog),
              display(candidateLog));
          out.flush();
        }
      }
      if (result != 0) {
        return result;
      }
      List<String> extraJvm =
          jvmOpts.isBlank() ? List.of() : List.of(jvmOpts.strip().split("\\s+"));
      if (icapPort != 0) {
        int router = files.port(FleetService.ROUTER).orElse(routerPort);
        result =
            IcapAdapterProcess.start(
                layout, files, icapPort, router, bindHost, extraJvm, timeout, out, err);
      }
      if (annotateWanted()) {
        // A default-on companion: when it cannot start, up says so (and status shows it), but the
        // fleet's exit code stays the fleet's: classification works without the annotation app.
        boolean chosen = annotatePortsChosen() || annotatePortsMoved;
        AnnotateProcess.start(
            layout,
            files,
            annotatePort,
            annotateGrpcPort,
            chosen,
            bindHost,
            extraJvm,
            timeout,
            out,
            err);
      }
      return result;
    }
  }

  private int up(
      SieveLayout layout,
      RunFiles files,
      Set<FleetService> requested,
      Map<FleetService, Integer> grpcPorts,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    FleetState state = FleetState.read(files);
    if (!state.alive().isEmpty()) {
      boolean routerAlive =
          state.get(FleetService.ROUTER).map(FleetState.Recorded::alive).orElse(false);
      if (routerAlive && state.stale().isEmpty()) {
        out.println("Sieve is already up:");
        StatusCommand.printTable(layout, files, out);
        out.println("Run ./sieve down to stop it.");
        return 0;
      }
      return restartMissing(layout, files, state, requested, grpcPorts, out, err);
    }
    state.stale().forEach(r -> files.delete(r.service()));

    // What to start.
    Map<FleetService, String> notDeployed = new LinkedHashMap<>();
    List<ServiceArtifact> toStart = new ArrayList<>();
    String[] why = new String[1];
    for (FleetService tier : FleetService.tiers()) {
      if (tiers != null && !requested.contains(tier)) {
        notDeployed.put(tier, "not requested (--tiers)");
        continue;
      }
      Optional<ServiceArtifact> artifact = ServiceArtifact.locate(tier, layout.buildRoot(), why);
      if (artifact.isPresent()) {
        toStart.add(artifact.get());
      } else {
        notDeployed.put(tier, why[0]);
        if (tiers != null) {
          err.println(
              "sieve up: warning: "
                  + tier.serviceName()
                  + " requested but "
                  + why[0]
                  + "; the router will report it NOT_DEPLOYED");
        }
      }
    }
    Optional<ServiceArtifact> router =
        ServiceArtifact.locate(FleetService.ROUTER, layout.buildRoot(), why);
    if (router.isEmpty()) {
      err.println("sieve up: the router is " + why[0] + ".");
      err.println(
          "Build it first: ./mvnw -B -q install -DskipTests (the ./sieve script does this on first use).");
      return 1;
    }
    toStart.add(router.get());

    Map<FleetService, Integer> metricsPorts = new EnumMap<>(FleetService.class);
    FleetService.all().forEach(service -> metricsPorts.put(service, metricsPort(service)));
    return launch(
        layout,
        files,
        toStart,
        grpcPorts,
        metricsPorts,
        List.of(),
        tls,
        notDeployed,
        false,
        out,
        err);
  }

  /**
   * A fleet where some recorded services still run and others died: starts what is missing, on the
   * ports recorded for it (the running router's tier targets name them), keeping the running ones.
   * When the router itself died it comes back pointed at the running tiers plus those started now;
   * a tier the running router was started without is not added (the router would not know it).
   */
  private int restartMissing(
      SieveLayout layout,
      RunFiles files,
      FleetState state,
      Set<FleetService> requested,
      Map<FleetService, Integer> optionPorts,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    boolean routerAlive =
        state.get(FleetService.ROUTER).map(FleetState.Recorded::alive).orElse(false);
    boolean fleetTls = LocalTls.of(layout).enabled();
    if (tls != fleetTls) {
      err.println(
          "sieve up: warning: the running fleet was started "
              + (fleetTls ? "with" : "without")
              + " --tls; the services started now match it");
    }
    Map<FleetService, Integer> grpcPorts = new EnumMap<>(optionPorts);
    Map<FleetService, Integer> metricsPorts = new EnumMap<>(FleetService.class);
    FleetService.all().forEach(service -> metricsPorts.put(service, metricsPort(service)));
    for (FleetState.Recorded r : state.recorded()) {
      r.port().ifPresent(port -> grpcPorts.put(r.service(), port));
      files.metricsPort(r.service()).ifPresent(port -> metricsPorts.put(r.service(), port));
    }
    List<FleetService> running = state.alive().stream().map(FleetState.Recorded::service).toList();

    List<ServiceArtifact> toStart = new ArrayList<>();
    Map<FleetService, String> notDeployed = new LinkedHashMap<>();
    String[] why = new String[1];
    for (FleetService tier : FleetService.tiers()) {
      boolean recorded = state.get(tier).isPresent();
      if (running.contains(tier)) {
        continue;
      }
      if (!recorded && (routerAlive || (tiers != null && !requested.contains(tier)))) {
        notDeployed.put(
            tier, routerAlive ? "not part of the running fleet" : "not requested (--tiers)");
        continue;
      }
      Optional<ServiceArtifact> artifact = ServiceArtifact.locate(tier, layout.buildRoot(), why);
      if (artifact.isPresent()) {
        toStart.add(artifact.get());
      } else if (recorded) {
        err.println("sieve up: cannot restart " + tier.serviceName() + ": it is " + why[0] + ".");
        return 1;
      } else {
        notDeployed.put(tier, why[0]);
      }
    }
    if (!routerAlive) {
      Optional<ServiceArtifact> router =
          ServiceArtifact.locate(FleetService.ROUTER, layout.buildRoot(), why);
      if (router.isEmpty()) {
        err.println("sieve up: cannot restart the router: it is " + why[0] + ".");
        return 1;
      }
      toStart.add(router.get());
    }
    state.stale().forEach(r -> files.delete(r.service()));
    if (toStart.isEmpty()) {
      out.println("Sieve is already up:");
      StatusCommand.printTable(layout, files, out);
      return 0;
    }
    out.println(
        "Sieve is partially up: restarting "
            + String.join(", ", toStart.stream().map(a -> a.service().serviceName()).toList())
            + "; still running: "
            + String.join(", ", running.stream().map(FleetService::serviceName).toList()));
    return launch(
        layout,
        files,
        toStart,
        grpcPorts,
        metricsPorts,
        running,
        fleetTls,
        notDeployed,
        true,
        out,
        err);
  }

  /**
   * Starts {@code toStart} (each on its port in {@code grpcPorts} / {@code metricsPorts}) next to
   * the {@code running} services, and waits until they are SERVING.
   */
  private int launch(
      SieveLayout layout,
      RunFiles files,
      List<ServiceArtifact> toStart,
      Map<FleetService, Integer> grpcPorts,
      Map<FleetService, Integer> metricsPorts,
      List<FleetService> running,
      boolean useTls,
      Map<FleetService, String> notDeployed,
      boolean restart,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    Map<Integer, String> claimed = new HashMap<>();
    for (ServiceArtifact artifact : toStart) {
      FleetService service = artifact.service();
      for (Map.Entry<String, Integer> port :
          Map.of(
                  service.serviceName() + " gRPC",
                  grpcPorts.get(service),
                  service.serviceName() + " metrics",
                  metricsPorts.get(service))
              .entrySet()) {
        String other = claimed.put(port.getValue(), port.getKey());
        if (other != null) {
          err.printf(
              "sieve up: %s and %s cannot both use port %d%n",
              other, port.getKey(), port.getValue());
          return 2;
        }
      }
    }
    for (ServiceArtifact artifact : toStart) {
      int port = grpcPorts.get(artifact.service());
      if (!PortCheck.isFree(bindHost, port)) {
        err.printf(
            "sieve up: port %d (%s) is already in use on %s. Stop whatever uses it or pick another port with --%s-port.%n",
            port, artifact.service().serviceName(), bindHost, portOptionPrefix(artifact.service()));
        return 1;
      }
    }

    LocalTls localTls = LocalTls.of(layout);
    if (useTls) {
      boolean wildcard = bindHost.equals("0.0.0.0") || bindHost.equals("::");
      localTls.prepare(
          toStart.stream().map(a -> a.service().serviceName()).toList(),
          wildcard || Loopback.isLoopbackHost(bindHost) ? List.of() : List.of(bindHost));
    } else if (!restart) {
      localTls.disable();
    }
    List<LaunchSpec> specs = new ArrayList<>();
    for (ServiceArtifact artifact : toStart) {
      Map<String, String> extra = new HashMap<>();
      if (useTls) {
        extra.putAll(
            localTls.serviceProperties(
                artifact.service().serviceName(), artifact.service() == FleetService.ROUTER));
      }
      if (artifact.service() == FleetService.ROUTER) {
        for (ServiceArtifact tier : toStart) {
          if (tier.service().isTier()) {
            extra.put(
                tier.service().routerTargetProperty(),
                "127.0.0.1:" + grpcPorts.get(tier.service()));
          }
        }
        for (FleetService tier : running) {
          if (tier.isTier()) {
            extra.put(tier.routerTargetProperty(), "127.0.0.1:" + grpcPorts.get(tier));
          }
        }
        if (policy != null) {
          extra.put("sieve.policy.file", policy.toAbsolutePath().normalize().toString());
        }
        if (candidateSpec != null) {
          extra.put("sieve.candidate.tier", candidateSpec.tier().tier());
          extra.put("sieve.candidate.target", "127.0.0.1:" + candidatePort);
          extra.put("sieve.candidate.mode", candidateMode);
          extra.put("sieve.candidate.sample", Double.toString(candidateSample));
          extra.put("sieve.candidate.share", Double.toString(candidateShare));
          extra.put("sieve.candidate.unit", candidateUnit);
          extra.put(
              "sieve.candidate.log.file", candidateLog.toAbsolutePath().normalize().toString());
        }
        if (annotateWanted()) {
          // ReportVerdict and tenant overrides go to the annotation app started after the fleet;
          // the router reconnects until it is up, and spools reports (under .sieve) while it is
          // not. The port is the one the app will really use (or uses already).
          extra.put("sieve.feedback.addr", "127.0.0.1:" + annotateFeedbackPort(files, out));
        }
        if (httpPort > 0) {
          extra.put("sieve.http.port", Integer.toString(httpPort));
        }
      }
      specs.add(
          new LaunchSpec(
              artifact,
              grpcPorts.get(artifact.service()),
              metricsPorts.get(artifact.service()),
              extra));
    }

    ProcessStarter starter =
        new ProcessStarter(
            ProcessStarter.currentJava(),
            layout.home(),
            layout.logsDir(),
            bindHost,
            jvmOpts.isBlank() ? List.of() : List.of(jvmOpts.strip().split("\\s+")));
    List<String> fleetTiers = new ArrayList<>();
    for (FleetService service : FleetService.tiers()) {
      if (running.contains(service) || toStart.stream().anyMatch(a -> a.service() == service)) {
        fleetTiers.add(service.tier());
      }
    }
    return startAndWait(
        layout,
        files,
        starter,
        specs,
        notDeployed,
        grpcPorts.get(FleetService.ROUTER),
        fleetTiers,
        useTls,
        restart,
        out,
        err);
  }

  private int startAndWait(
      SieveLayout layout,
      RunFiles files,
      ProcessStarter starter,
      List<LaunchSpec> specs,
      Map<FleetService, String> notDeployed,
      int routerPort,
      List<String> fleetTiers,
      boolean useTls,
      boolean restart,
      PrintWriter out,
      PrintWriter err) {
    long startNanos = System.nanoTime();
    List<Started> started = new ArrayList<>();
    // Ctrl-C while waiting must not leave half a fleet behind.
    Thread cleanup = new Thread(() -> stopAll(started, files, null), "sieve-up-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean success = false;
    try {
      out.printf("Starting Sieve (home %s):%n", layout.home());
      for (LaunchSpec spec : specs) {
        Process process;
        try {
          process = starter.start(spec);
        } catch (IOException e) {
          err.println(
              "sieve up: cannot start " + spec.service().serviceName() + ": " + e.getMessage());
          return fail(started, files, err);
        }
        started.add(
            new Started(spec, process, new HealthProbe(HostPort.loopback(spec.grpcPort()))));
        files.write(spec.service(), process.pid(), spec.grpcPort(), spec.metricsPort());
        out.printf(
            "  %-22s pid %-8d port %-6d log %s%n",
            spec.service().serviceName(),
            process.pid(),
            spec.grpcPort(),
            display(starter.logFile(spec.service())));
      }
      out.flush();

      Optional<Started> failed = waitUntilServing(started, startNanos, out);
      if (failed.isPresent()) {
        Started f = failed.get();
        err.println();
        err.printf("sieve up: %s %s%n", f.spec().service().serviceName(), f.failure);
        Path log = starter.logFile(f.spec().service());
        err.printf("---- last %d lines of %s ----%n", LOG_TAIL_LINES, log);
        LogTail.lastLines(log, LOG_TAIL_LINES).forEach(line -> err.println("  " + line));
        err.println("----");
        if (f.spec().service().isTier()) {
          String others =
              specs.stream()
                  .map(LaunchSpec::service)
                  .filter(s -> s.isTier() && s != f.spec().service())
                  .map(FleetService::tier)
                  .reduce((a, b) -> a + "," + b)
                  .orElse("none");
          err.println("To start the fleet without it: ./sieve up --tiers " + others);
        }
        return fail(started, files, err);
      }
      success = true;
      // Also after restarting only a tier: the running router may be waiting out a reconnect
      // backoff to it, and its warm-up calls make it reconnect now.
      RouterWarmup.run(routerPort, fleetTiers, Duration.ofSeconds(30), out);
      out.printf(
          "%nSieve is up (%.1f s)%s:%n",
          (System.nanoTime() - startNanos) / 1e9,
          useTls
              ? ", TLS with the local CA "
                  + display(LocalTls.of(layout).caFile())
                  + " (router <-> tiers: mTLS)"
              : "");
      if (restart) {
        StatusCommand.printTable(layout, files, out);
      } else {
        printEndpoints(starter, started, notDeployed, out);
      }
      if (httpPort > 0
          && started.stream().anyMatch(x -> x.spec().service() == FleetService.ROUTER)) {
        out.printf(
            "  JSON/HTTP API: http://%s/v1/classify (OpenAPI: /v1/openapi.json)%n",
            HostPort.loopback(httpPort));
      }
      out.println();
      out.println("Try: ./sieve classify https://www.example.com/   ./sieve status   ./sieve down");
      out.flush();
      return 0;
    } catch (IOException e) {
      err.println("sieve up: cannot write run files in " + files.runDir() + ": " + e.getMessage());
      return fail(started, files, err);
    } finally {
      started.forEach(s -> s.probe().close());
      if (success || started.stream().noneMatch(s -> s.process().isAlive())) {
        try {
          Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running or about to: nothing to remove.
        }
      }
    }
  }

  /**
   * Polls every started service until all are SERVING, one dies, or the timeout expires.
   *
   * @return the service that failed (with {@link Started#failure} set), or empty on success
   */
  private Optional<Started> waitUntilServing(
      List<Started> started, long startNanos, PrintWriter out) {
    List<Started> pending = new ArrayList<>(started);
    long deadline = startNanos + timeout.toNanos();
    long nextProgress = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    out.println(
        "Waiting for grpc.health.v1 SERVING (timeout "
            + DurationConverter.format(timeout)
            + ") ...");
    out.flush();
    while (!pending.isEmpty()) {
      for (Started s : new ArrayList<>(pending)) {
        if (!s.process().isAlive()) {
          s.failure = "exited with code " + s.process().exitValue() + " before becoming SERVING";
          return Optional.of(s);
        }
        Health health = s.probe().check(Duration.ofSeconds(1));
        s.lastHealth = health;
        if (health == Health.SERVING) {
          pending.remove(s);
          out.printf(
              "  %-22s SERVING after %.1f s%n",
              s.spec().service().serviceName(), (System.nanoTime() - startNanos) / 1e9);
          out.flush();
        } else if (health == Health.NO_HEALTH_SERVICE) {
          s.failure =
              "answers on port " + s.spec().grpcPort() + " but does not implement grpc.health.v1";
          return Optional.of(s);
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      long now = System.nanoTime();
      if (now - deadline > 0) {
        Started first = pending.get(0);
        first.failure =
            "did not become SERVING within "
                + DurationConverter.format(timeout)
                + " (last health: "
                + first.lastHealth
                + ")";
        return Optional.of(first);
      }
      if (now - nextProgress > 0) {
        StringBuilder waiting = new StringBuilder();
        for (Started s : pending) {
          waiting
              .append(waiting.isEmpty() ? "" : ", ")
              .append(s.spec().service().serviceName())
              .append(" (")
              .append(s.lastHealth)
              .append(')');
        }
        out.printf("  ... %.0f s, still waiting for %s%n", (now - startNanos) / 1e9, waiting);
        out.flush();
        nextProgress = now + Duration.ofSeconds(5).toNanos();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Started first = pending.get(0);
        first.failure = "startup interrupted";
        return Optional.of(first);
      }
    }
    return Optional.empty();
  }

  private int fail(List<Started> started, RunFiles files, PrintWriter err) {
    if (!started.isEmpty()) {
      err.println("Stopping the services that were started ...");
    }
    stopAll(started, files, err);
    err.flush();
    return 1;
  }

  private static void stopAll(List<Started> started, RunFiles files, PrintWriter out) {
    List<ProcessStopper.Target> targets = new ArrayList<>();
    for (Started s : List.copyOf(started)) {
      targets.add(
          new ProcessStopper.Target(s.spec().service().serviceName(), s.process().toHandle()));
    }
    ProcessStopper.stop(targets, Duration.ofSeconds(10), out);
    for (Started s : List.copyOf(started)) {
      files.delete(s.spec().service());
    }
  }

  private void printEndpoints(
      ProcessStarter starter,
      List<Started> started,
      Map<FleetService, String> notDeployed,
      PrintWriter out) {
    out.printf(
        "  %-22s %-8s %-8s %-18s %-8s %s%n",
        "SERVICE", "TIER", "PID", "ENDPOINT", "METRICS", "LOG");
    for (FleetService service :
        List.of(FleetService.ROUTER, FleetService.URL, FleetService.CONTENT, FleetService.LLM)) {
      Optional<Started> s = started.stream().filter(x -> x.spec().service() == service).findFirst();
      String tier = service.isTier() ? service.tier() : "-";
      if (s.isPresent()) {
        out.printf(
            "  %-22s %-8s %-8d %-18s %-8d %s%n",
            service.serviceName(),
            tier,
            s.get().process().pid(),
            HostPort.loopback(s.get().spec().grpcPort()),
            s.get().spec().metricsPort(),
            display(starter.logFile(service)));
      } else {
        out.printf(
            "  %-22s %-8s %-8s %-18s %-8s %s%n",
            service.serviceName(),
            tier,
            "-",
            "NOT_DEPLOYED",
            "-",
            notDeployed.getOrDefault(service, ""));
      }
    }
  }

  /** A path relative to the working directory when it is below it (shorter tables). */
  static String display(Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
  }

  private Optional<Set<FleetService>> requestedTiers(PrintWriter err) {
    Set<FleetService> requested = new LinkedHashSet<>();
    if (tiers == null) {
      requested.addAll(FleetService.tiers());
      return Optional.of(requested);
    }
    for (String name : tiers) {
      if (name.isBlank() || name.strip().equalsIgnoreCase("none")) {
        continue;
      }
      Optional<FleetService> tier = FleetService.forTier(name);
      if (tier.isEmpty()) {
        err.println("sieve up: unknown tier '" + name + "' (tiers: url, content, llm)");
        return Optional.empty();
      }
      requested.add(tier.get());
    }
    return Optional.of(requested);
  }

  private Map<FleetService, Integer> grpcPorts() {
    Map<FleetService, Integer> ports = new EnumMap<>(FleetService.class);
    ports.put(FleetService.ROUTER, routerPort);
    ports.put(FleetService.URL, urlPort);
    ports.put(FleetService.CONTENT, contentPort);
    ports.put(FleetService.LLM, llmPort);
    return ports;
  }

  private int metricsPort(FleetService service) {
    return switch (service) {
      case ROUTER -> routerMetricsPort;
      case URL -> urlMetricsPort;
      case CONTENT -> contentMetricsPort;
      case LLM -> llmMetricsPort;
    };
  }

  /** Range check only: clashes are checked among the services actually started. */
  private boolean validPorts(Map<FleetService, Integer> ports, PrintWriter err) {
    for (FleetService service : FleetService.all()) {
      for (int port : new int[] {ports.get(service), metricsPort(service)}) {
        if (port < 1 || port > 65_535) {
          err.printf("sieve up: port %d for %s is outside 1..65535%n", port, service.serviceName());
          return false;
        }
      }
    }
    return true;
  }

  private static String portOptionPrefix(FleetService service) {
    return service.isTier() ? service.tier() : "router";
  }

  /** A process started by this command, its health probe, and why it failed (if it did). */
  private static final class Started {
    private final LaunchSpec spec;
    private final Process process;
    private final HealthProbe probe;
    private volatile Health lastHealth = Health.UNREACHABLE;
    private volatile String failure;

    Started(LaunchSpec spec, Process process, HealthProbe probe) {
      this.spec = spec;
      this.process = process;
      this.probe = probe;
    }

    LaunchSpec spec() {
      return spec;
    }

    Process process() {
      return process;
    }

    HealthProbe probe() {
      return probe;
    }
  }

  /** Set when {@link #annotateFeedbackPort} moved the app off its busy default ports. */
  private boolean annotatePortsMoved;

  private boolean annotatePortsChosen() {
    return spec.commandLine().getParseResult().hasMatchedOption("--annotate-port")
        || spec.commandLine().getParseResult().hasMatchedOption("--annotate-grpc-port");
  }

  /**
   * The Feedback gRPC port the router is pointed at, decided before the router starts so that it is
   * the port the annotation app really uses: a running app's recorded port; else, when the default
   * ports are taken (another checkout's app, say) and none were given, free ones picked now (said
   * out loud) and then handed to the app as chosen ports, so it cannot pick others.
   */
  private int annotateFeedbackPort(RunFiles files, PrintWriter out) throws IOException {
    if (AnnotateProcess.PROCESS.live(files).isPresent()) {
      return AnnotateProcess.grpcPort(files).orElse(annotateGrpcPort);
    }
    if (!annotatePortsChosen()
        && !annotatePortsMoved
        && (!PortCheck.isFree(bindHost, annotatePort)
            || !PortCheck.isFree(bindHost, annotateGrpcPort))) {
      int[] free = PortCheck.freePorts(2);
      out.printf(
          "  annotate: default ports %d/%d are in use; using %d (web) and %d (Feedback gRPC)%n",
          annotatePort, annotateGrpcPort, free[0], free[1]);
      annotatePort = free[0];
      annotateGrpcPort = free[1];
      annotatePortsMoved = true;
    }
    return annotateGrpcPort;
  }

  /** The annotation app is started unless --no-annotate or SIEVE_ANNOTATE=off. */
  private boolean annotateWanted() {
    return !noAnnotate && !Settings.get("SIEVE_ANNOTATE", "on").equalsIgnoreCase("off");
  }
}
