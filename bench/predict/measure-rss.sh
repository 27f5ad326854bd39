#!/usr/bin/env bash
# Peak resident memory of `rnn predict` for inputs of different sizes: the engine reads a bounded window ahead, so the
# peak must not grow with the input. Generates N short JSONL records per size (lengths 1..20 over the 11-token
# vocabulary of the committed PyTorch classifier tests/golden/training/classifier.safetensors), runs `rnn predict`
# under /usr/bin/time -v, and prints one line per size.
#
#   bench/predict/measure-rss.sh                 # 10,000 and 500,000 records
#   COUNTS="10000 100000" bench/predict/measure-rss.sh
#   PREDICT_ARGS="--backend managed --workers 2" bench/predict/measure-rss.sh
#
# Needs a built tree (./build.sh build) and python3; installs Debian's `time` package when /usr/bin/time is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RNN_DLL="${RNN_DLL:-$ROOT/src/Rnn.Cli/bin/Release/net10.0/rnn.dll}"
MODEL="${MODEL:-$ROOT/tests/golden/training/classifier.safetensors}"
COUNTS="${COUNTS:-10000 500000}"
PREDICT_ARGS="${PREDICT_ARGS:-}"
WORK="${WORK:-$(mktemp -d /tmp/rnn-predict-rss.XXXXXX)}"

[[ -f "$RNN_DLL" ]] || { echo "measure-rss: $RNN_DLL not found; run ./build.sh build first" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
fi

echo "records  peak_rss_mib  seconds  summary"
for n in $COUNTS; do
  input="$WORK/records-$n.jsonl"
  [[ -f "$input" ]] || python3 - "$n" "$input" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(n)
with open(path, "w") as f:
    for i in range(n):
        f.write('{"id":%d,"tokens":[%s]}\n' % (i, ",".join(str(rng.randrange(11)) for _ in range(rng.randint(1, 20)))))
PY
  out="$WORK/out-$n.jsonl"
  rm -rf "$out" "$out".*
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$WORK/time-$n.txt" dotnet "$RNN_DLL" predict --model "$MODEL" --kind classifier \
      --input "$input" --output "$out" --summary "$WORK/summary-$n.json" --quiet $PREDICT_ARGS > "$WORK/stdout-$n.txt"
  rss_kib=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time-$n.txt")
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time-$n.txt")
  printf "%-8s %-13s %-8s %s\n" "$n" "$(awk -v k="$rss_kib" 'BEGIN {printf "%.1f", k / 1024}')" "$seconds" "$(tr -d '\n ' < "$WORK/summary-$n.json")"
done
echo "(files in $WORK)"
