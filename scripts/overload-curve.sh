#!/usr/bin/env bash
# Overload goodput curve through the router of a running local fleet: measures the router's
# classification capacity for pages (closed loop), then offers 1x, 2x, 4x and 8x of it open loop
# and prints goodput (OK answers that are not degraded, per second) per level, with the quality
# counts (degraded, alerts, alerts on degraded verdicts, degraded verdicts from the cache) and the
# router's breaker and limit meters after each level.
#
# usage: scripts/overload-curve.sh [--in FILE] [--seconds 20] [--capacity PER_S] [--deadline 1s]
#                                  [--out DIR] [--cache] [--tiers url,content] [--warmup-run 20s]
#   --capacity skips the closed-loop measurement. --cache goes through the verdict cache (default:
#   bypassed, so every call is classified). --tiers restricts the tiers the router consults (default:
#   the policy's routing). --warmup-run first runs an unrecorded closed-loop load (JIT, batching
#   estimates) so that a cold fleet's first seconds do not count.
set -euo pipefail
cd "$(dirname "$0")/.."
in=""; seconds=20; capacity=""; deadline=1s; out=""; cache=""; tiers=""; warmuprun=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --in) in="$2"; shift 2;;
    --seconds) seconds="$2"; shift 2;;
    --capacity) capacity="$2"; shift 2;;
    --deadline) deadline="$2"; shift 2;;
    --out) out="$2"; shift 2;;
    --cache) cache="--cache"; shift;;
    --tiers) tiers="--tiers $2"; shift 2;;
    --warmup-run) warmuprun="$2"; shift 2;;
    *) echo "overload-curve.sh: unknown argument $1" >&2; exit 2;;
  esac
done
out="${out:-target/overload-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
if [[ -z "$in" ]]; then
  in="$out/pages.jsonl"
  python3 scripts/overload-workload.py "$in" --pages 50
fi
router="127.0.0.1:$(cat .sieve/run/router.port)"
metrics="http://127.0.0.1:$(cat .sieve/run/router.metrics-port)/metrics"
content_metrics=""
[[ -f .sieve/run/content-service.metrics-port ]] && content_metrics="http://127.0.0.1:$(cat .sieve/run/content-service.metrics-port)/metrics"
meters() {
  curl -s "$metrics" | grep -E '^sieve_(router_alerts_total|router_breaker_state\{.*tier="content".*state="(open|closed)"|concurrency_limit(_rejected_total)?\{.*name="content"|router_tier_outcomes_total\{.*tier="content")' || true
  [[ -n "$content_metrics" ]] && curl -s "$content_metrics" | grep -E '^sieve_(concurrency_limit|content_shed_total|content_late_total)' || true
}
bench() { SIEVE_NO_BUILD=1 ./sieve bench --target "$router" --in "$in" --deadline "$deadline" $cache $tiers "$@"; }

uptime | tee "$out/loadavg.txt"
if [[ -n "$warmuprun" ]]; then
  echo "== warm-up (not recorded): closed loop, 8 in flight, $warmuprun"
  bench --concurrency 8 --warmup 0s --duration "$warmuprun" > "$out/warmup.txt" || true
fi
if [[ -z "$capacity" ]]; then
  echo "== capacity: closed loop, 16 in flight, ${seconds}s" | tee -a "$out/curve.txt"
  bench --concurrency 16 --warmup 5s --duration "${seconds}s" | tee "$out/capacity.txt" | tee -a "$out/curve.txt"
  capacity=$(sed -n 's/.*goodput \([0-9.]*\)\/s.*/\1/p' "$out/capacity.txt" | head -1)
fi
echo "capacity (goodput, closed loop): $capacity/s" | tee -a "$out/curve.txt"
for m in 1 2 4 8; do
  rate=$(python3 -c "print(round($capacity * $m, 1))")
  echo "== ${m}x: ${rate}/s open loop, ${seconds}s" | tee -a "$out/curve.txt"
  bench --rate "$rate" --concurrency 512 --warmup 3s --duration "${seconds}s" | tee -a "$out/curve.txt"
  meters | sed 's/^/    /' | tee -a "$out/curve.txt"
  uptime | tee -a "$out/curve.txt"
done
echo; echo "summary ($out/curve.txt):"
grep -E '^== |verdicts: goodput' "$out/curve.txt"
