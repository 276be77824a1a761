#!/usr/bin/env bash
# Soak: steady open-loop load on a running local fleet, sampling every service's RSS and its Java
# heap after a full GC at a fixed interval; prints start / middle / end and the slope per service.
#
# usage: scripts/soak.sh [--duration 600] [--rate 20] [--interval 30] [--in FILE] [--out DIR]
#                        [--concurrency 64] [--deadline 1s]
#   The fleet must be up (./sieve up ...); pids come from .sieve/run/<service>.pid and the router's
#   port from .sieve/run/router.port. --in defaults to a mix of 50 pages and 50 URL-only lines
#   (scripts/overload-workload.py). Output: DIR/samples.csv (t_s,service,rss_kb,heap_used_kb),
#   DIR/bench.txt (the bench report), DIR/summary.txt.
#
# Heap "after GC": `jcmd <pid> GC.run` (System.gc(), a full collection with G1), then
# `jcmd <pid> GC.heap_info`; the forced GC every interval is itself a small perturbation, same in
# every sample. RSS is `ps -o rss=` (KiB), read before the forced GC.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=600; rate=20; interval=30; in=""; out=""; concurrency=64; deadline=1s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2;;
    --rate) rate="$2"; shift 2;;
    --interval) interval="$2"; shift 2;;
    --in) in="$2"; shift 2;;
    --out) out="$2"; shift 2;;
    --concurrency) concurrency="$2"; shift 2;;
    --deadline) deadline="$2"; shift 2;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2;;
  esac
done
out="${out:-target/soak-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
if [[ -z "$in" ]]; then
  in="$out/workload.jsonl"
  python3 scripts/overload-workload.py "$in" --pages 50 --urls 50
fi
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
services=()
for s in router url-service content-service llm-fallback-service; do
  if [[ -f .sieve/run/$s.pid ]] && kill -0 "$(cat .sieve/run/$s.pid)" 2>/dev/null; then services+=("$s"); fi
done
[[ ${#services[@]} -gt 0 ]] || { echo "soak.sh: no running service in .sieve/run (./sieve up first)" >&2; exit 3; }
router="127.0.0.1:$(cat .sieve/run/router.port)"

sample_one() { # $1 = seconds since start, $2 = service
  local pid rss heap
  pid=$(cat .sieve/run/$2.pid)
  rss=$(ps -o rss= -p "$pid" | tr -d ' ' || echo "")
  "$JCMD" "$pid" GC.run >/dev/null 2>&1 || true
  # "garbage-first heap   total reserved 6172672K, committed 57344K, used 18938K [...]" (JDK 25)
  heap=$("$JCMD" "$pid" GC.heap_info 2>/dev/null | sed -n 's/.*heap .*used \([0-9]*\)K.*/\1/p' | head -1)
  echo "$1,$2,${rss:-NA},${heap:-NA}"
}

sample() { # $1 = seconds since start; the services are sampled in parallel (jcmd is slow on a busy host)
  local s pids=()
  for s in "${services[@]}"; do sample_one "$1" "$s" > "$out/.sample-$s" & pids+=($!); done
  wait "${pids[@]}" || true
  for s in "${services[@]}"; do cat "$out/.sample-$s" >> "$out/samples.csv"; rm -f "$out/.sample-$s"; done
}

echo "t_s,service,rss_kb,heap_used_kb" > "$out/samples.csv"
echo "soak: ${services[*]}; ${rate}/s open loop for ${duration}s on $router, samples every ${interval}s -> $out"
uptime | tee "$out/loadavg-start.txt"
SIEVE_NO_BUILD=1 ./sieve bench --target "$router" --in "$in" --rate "$rate" --concurrency "$concurrency" \
  --deadline "$deadline" --warmup 0s --duration "${duration}s" --max-time "${duration}s" > "$out/bench.txt" 2>&1 &
bench=$!
start=$(date +%s)
sample 0
while kill -0 "$bench" 2>/dev/null; do
  next=$(( $(date +%s) + interval ))
  while [[ $(date +%s) -lt $next ]] && kill -0 "$bench" 2>/dev/null; do sleep 1; done
  sample $(( $(date +%s) - start ))
done
wait "$bench" || true
uptime | tee "$out/loadavg-end.txt"
python3 - "$out/samples.csv" > "$out/summary.txt" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
by = {}
for r in rows:
    by.setdefault(r["service"], []).append(r)
def slope(xs, ys):
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    d = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / d if d else 0.0
print(f"{'service':22} {'metric':8} {'start MiB':>10} {'middle':>8} {'end':>8} {'slope MiB/10min':>16}  (samples)")
for s, rs in by.items():
    for key, name in (("rss_kb", "rss"), ("heap_used_kb", "heap")):
        pts = [(int(r["t_s"]), int(r[key]) / 1024) for r in rs if r[key] not in ("", "NA")]
        if len(pts) < 2:
            continue
        xs, ys = zip(*pts)
        mid = ys[len(ys) // 2]
        print(f"{s:22} {name:8} {ys[0]:10.1f} {mid:8.1f} {ys[-1]:8.1f} {slope(xs, ys) * 600:16.1f}  ({len(pts)})")
PY
cat "$out/summary.txt"
tail -5 "$out/bench.txt"
