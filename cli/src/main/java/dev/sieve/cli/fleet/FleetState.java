package dev.sieve.cli.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code .sieve/run/} says about the local fleet: for each service with a pid file, whether
 * that process is still alive (and really the service).
 */
public final class FleetState {

  /** One recorded service. */
  public record Recorded(
      FleetService service, long pid, OptionalInt port, Optional<ProcessHandle> live) {
    public boolean alive() {
      return live.isPresent();
    }
  }

  private final List<Recorded> recorded;

  private FleetState(List<Recorded> recorded) {
    this.recorded = recorded;
  }

  public static FleetState read(RunFiles files) {
    List<Recorded> recorded = new ArrayList<>();
    for (FleetService service : FleetService.all()) {
      Optional<Long> pid = files.pid(service);
      if (pid.isPresent()) {
        recorded.add(
            new Recorded(service, pid.get(), files.port(service), files.liveProcess(service)));
      }
    }
    return new FleetState(recorded);
  }

  public List<Recorded> recorded() {
    return recorded;
  }

  public List<Recorded> alive() {
    return recorded.stream().filter(Recorded::alive).toList();
  }

  public List<Recorded> stale() {
    return recorded.stream().filter(r -> !r.alive()).toList();
  }

  public Optional<Recorded> get(FleetService service) {
    return recorded.stream().filter(r -> r.service() == service).findFirst();
  }

  public boolean isEmpty() {
    return recorded.isEmpty();
  }
}
