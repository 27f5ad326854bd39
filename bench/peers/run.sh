#!/usr/bin/env bash
# Side-by-side throughput: ONNX Runtime 1.30 (CPU, via Node) and `rnn bench` on the standard configurations,
# interleaved in one run so both see the same machine load. Prints JSON lines and a ratio table.
# Usage: bench/peers/run.sh [seconds] [rnn bench extra args, e.g. --precision bf16]
# Needs: Debian python3-torch + python3-onnx (model export only), node + npm, a built repo (./build.sh build).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_RUN=${1:-5}; shift || true
ROOT=$(cd ../.. && pwd)
RNN="dotnet $ROOT/src/Rnn.Cli/bin/Release/net10.0/rnn.dll"
MODELS=$ROOT/build/peers/models
OUT=$ROOT/build/peers/results.jsonl
mkdir -p "$MODELS"
[ -d node_modules/onnxruntime-node ] || npm install --ignore-scripts --no-audit --no-fund >/dev/null
for c in lstm-infer gru-infer bilstm-infer rnn-infer; do
  [ -f "$MODELS/$c.onnx" ] || { /usr/bin/python3 export_onnx.py "$MODELS" >/dev/null 2>&1; break; }
done

declare -A ARGS=(
  [lstm-infer]="--mode lstm --input-size 256 --hidden-size 512 --layers 2 --batch 64 --seq-len 100"
  [gru-infer]="--mode gru --input-size 256 --hidden-size 512 --layers 2 --batch 64 --seq-len 100"
  [bilstm-infer]="--mode lstm --input-size 128 --hidden-size 256 --layers 1 --bidirectional --batch 32 --seq-len 200"
  [rnn-infer]="--mode rnn_tanh --input-size 256 --hidden-size 512 --layers 2 --batch 64 --seq-len 100"
)
: >"$OUT"
for c in lstm-infer gru-infer bilstm-infer rnn-infer; do
  node ort_bench.js "$MODELS" "$SECONDS_PER_RUN" "$c" | tee -a "$OUT"
  # shellcheck disable=SC2086
  $RNN bench ${ARGS[$c]} --seconds "$SECONDS_PER_RUN" --json "$@" | sed "s/^{/{\"config\":\"$c\",/" | tee -a "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ort = {r["config"]: r for r in rows if r.get("backend", "").startswith("onnxruntime")}
print(f"\n{'config':14} {'ORT GFLOP/s':>12} {'rnn GFLOP/s':>12} {'ratio':>7}")
for r in rows:
    if r.get("backend", "").startswith("onnxruntime"):
        continue
    o = ort.get(r["config"])
    if o:
        print(f"{r['config']:14} {o['gflops']:12.1f} {r['gflops']:12.1f} {r['gflops'] / o['gflops']:7.2f}x")
PY
