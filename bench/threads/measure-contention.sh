#!/usr/bin/env bash
# Calls per second of one small LSTM (input 64, hidden 256, batch 1, T 50) on the onednn backend, called in a loop by
# one process, alone and with busy processes competing for the cores, for each thread count and OpenMP wait policy:
# how a caller fares on a shared machine. Uses `rnn bench` (one caller) and prints one line per case.
#
#   bench/threads/measure-contention.sh
#   BUSY=4 SECONDS_PER_RUN=5 bench/threads/measure-contention.sh
#
# Needs a built tree (./build.sh build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RNN_DLL="${RNN_DLL:-$ROOT/src/Rnn.Cli/bin/Release/net10.0/rnn.dll}"
BUSY="${BUSY:-2}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-3}"
# Each case: threads per call, a label, and the OpenMP environment the measured process runs with ("-" = neither
# OMP_WAIT_POLICY nor GOMP_SPINCOUNT set). libgomp spins 300,000 times (about 3 ms) before it sleeps unless told
# otherwise; passive sleeps at once. One thread per call has no team to wait on.
CASES="${CASES:-0:unset:- 0:spin300k:GOMP_SPINCOUNT=300000 0:passive:OMP_WAIT_POLICY=passive 0:spin1k:GOMP_SPINCOUNT=1000 0:spin10k:GOMP_SPINCOUNT=10000 1:unset:-}"

[[ -f "$RNN_DLL" ]] || { echo "measure-contention: $RNN_DLL not found; run ./build.sh build first" >&2; exit 2; }

busy_pids=()
stop_busy() { for p in "${busy_pids[@]}"; do kill "$p" 2>/dev/null || true; done; busy_pids=(); }
trap stop_busy EXIT

run_case() { # threads env
  local threads=$1 env=$2 line
  local -a cmd=(dotnet "$RNN_DLL" bench --mode lstm --input-size 64 --hidden-size 256 --layers 1 --batch 1 --seq-len 50
      --backend onednn --threads "$threads" --seconds "$SECONDS_PER_RUN" --json)
  if [[ $env == - ]]; then line=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "${cmd[@]}" | tail -1)
  else line=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "$env" "${cmd[@]}" | tail -1); fi
  # batch 1: sequences per second are calls per second
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%.1f %.2f" % (d["seq_per_s"], d["latency_ms_p50"]))' "$line"
}

printf "%-8s %-9s %-6s %s\n" threads policy busy "calls_per_s p50_ms"
for busy in 0 "$BUSY"; do
  stop_busy
  for ((i = 0; i < busy; i++)); do (exec yes > /dev/null) & busy_pids+=($!); done
  for c in $CASES; do
    threads=${c%%:*} rest=${c#*:}
    label=${rest%%:*} env=${rest#*:}
    printf "%-8s %-9s %-6s %s   (load %s)\n" "$threads" "$label" "$busy" "$(run_case "$threads" "$env")" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
stop_busy
