#!/usr/bin/env bash
# RnnNative build entry point: ./build.sh [build|test|pack|demo|bench|clean]
#   build  native shim and its bundled runtime (CMake, Release) + managed solution (Release)
#   test   build, run the NUnit suite, pack, run the package smoke test (tests/PackageSmoke), every code example of the
#          README and docs/ on the packages (tests/DocExamples), the Slurm array of
#          docs/scale-out.md on a one-node cluster (tests/Slurm) and its Kubernetes manifests' schema check
#          (tests/Kubernetes); ends with "N passed, N failed, N skipped"
#   pack   build, then write every NuGet package to artifacts/packages/
#   demo   build, then the quickstart: train the sentiment sample, rnn predict on the bundled reviews, a short
#          throughput run against ONNX Runtime (docs/performance.md: The demo's timing)
#   bench  build, then the suite (ours and ONNX Runtime C# in one process, after an equality gate; the GEMM limit;
#          the batch-inference workload); writes bench/results/<date>.md. --quick: a smoke run, not figures to
#          quote. Other arguments go to Rnn.Bench (e.g. --write-predict-workload DIR, --records N)
# On a fresh Debian machine it installs what the build needs (apt-get) first.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=Release
NATIVE_BUILD="$ROOT/build/native"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

ensure_deps() {
  local missing=()
  command -v cmake >/dev/null || missing+=(cmake)
  command -v g++ >/dev/null || missing+=(g++)
  command -v make >/dev/null || missing+=(make)
  [ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || missing+=(libdnnl-dev)
  # Debian's oneDNN CMake config is built with the OpenCL GPU runtime and asks for OpenCL's dev files.
  [ -e /usr/lib/x86_64-linux-gnu/libOpenCL.so ] || missing+=(ocl-icd-opencl-dev)
  [ -f /usr/include/CL/cl.h ] || missing+=(opencl-c-headers)
  # The bundled runtime gives Debian's libdnnl.so.2 the RUNPATH $ORIGIN (native/bundle-runtime.sh).
  command -v patchelf >/dev/null || missing+=(patchelf)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! command -v dotnet >/dev/null; then
    log "the .NET SDK (10.0) is required: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and retry"
    exit 1
  fi
}

build_native() {
  log "native shim (CMake, $CONFIG)"
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -DCMAKE_BUILD_TYPE=$CONFIG >/dev/null
  cmake --build "$NATIVE_BUILD" -j"$(nproc)" >/dev/null
}

build_managed() {
  log "managed solution ($CONFIG)"
  dotnet build "$ROOT/RnnNative.sln" -c $CONFIG -nologo -v:q -clp:ErrorsOnly
}

cmd_build() { ensure_deps; build_native; build_managed; }

PACKAGES="$ROOT/artifacts/packages"

package_version() {
  dotnet msbuild "$ROOT/src/Rnn.Api/Core/RnnNative.csproj" -getProperty:Version -nologo
}

pack_all() {
  log "packages -> $PACKAGES"
  rm -rf "$PACKAGES"
  # A CI build: deterministic, with source paths normalised in the symbols.
  dotnet pack "$ROOT/RnnNative.sln" -c $CONFIG -nologo -v:q -clp:ErrorsOnly -p:ContinuousIntegrationBuild=true
}

cmd_pack() { cmd_build; pack_all; ls -1 "$PACKAGES"; }

cmd_test() {
  cmd_build
  local results="$ROOT/build/test-results"
  rm -rf "$results"; mkdir -p "$results"
  log "tests"
  set +e
  dotnet test "$ROOT/tests/Rnn.Tests/Rnn.Tests.csproj" -c $CONFIG --no-build -nologo \
    --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" --results-directory "$results"
  local rc=$?
  set -e
  local trx="$results/results.trx"
  if [ ! -f "$trx" ]; then log "no test results were written"; echo "0 passed, 1 failed"; exit 1; fi
  # CI reads only a plain closing line; take the counts from the run's own results file.
  local counters passed failed total executed skipped
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  errors=$(sed -E 's/.* error="([0-9]+)".*/\1/' <<<"$counters")
  skipped=$((total - executed))
  failed=$((failed + errors))

  # The packages as a user installs them; each check counts as one test. First the shim's own C++ checks
  # (native/tests: create/run/destroy cycles, concurrent callers, the primitive cache's bound; the step-kernel sets).
  local smoke="$results/package-smoke.log" smoke_rc=0
  if "$NATIVE_BUILD/bin/rnnshim_cycle" >"$results/shim-cycle.log" 2>&1; then echo "PASS rnnshim_cycle: $(tail -n 1 "$results/shim-cycle.log")" | tee "$smoke"
  else echo "FAIL rnnshim_cycle: $(grep -m1 FAIL "$results/shim-cycle.log" || tail -n 1 "$results/shim-cycle.log")" | tee "$smoke"; smoke_rc=1; fi
  if "$NATIVE_BUILD/bin/step_kernel_sets" >"$results/step-kernel-sets.log" 2>&1; then echo "PASS step_kernel_sets: $(tail -n 1 "$results/step-kernel-sets.log")" | tee -a "$smoke"
  else echo "FAIL step_kernel_sets: $(grep -m1 FAIL "$results/step-kernel-sets.log" || tail -n 1 "$results/step-kernel-sets.log")" | tee -a "$smoke"; smoke_rc=1; fi
  log "package smoke test"
  if pack_all; then
    tests/PackageSmoke/run.sh "$PACKAGES" "$(package_version)" | tee -a "$smoke" || smoke_rc=1
    log "documentation examples (tests/DocExamples)"
    tests/DocExamples/run.sh "$PACKAGES" "$(package_version)" | tee -a "$smoke" || smoke_rc=1
  else
    echo "FAIL dotnet pack" | tee -a "$smoke"; smoke_rc=1
  fi
  # docs/scale-out.md made real: its Slurm array on a one-node cluster started here, its Kubernetes Jobs checked
  # against the batch/v1 schema. Where they cannot run they print "SKIP <name>: why", counted as skipped.
  log "scale-out: Slurm array (tests/Slurm), Kubernetes manifests (tests/Kubernetes)"
  # The Slurm test bounds its own waits (installation 240 s, the rest 300 s); the timeout is a last resort (TERM lets
  # it stop its daemons).
  if ! timeout -k 30 600 tests/Slurm/run.sh "$ROOT/src/Rnn.Cli/bin/$CONFIG/net10.0/rnn.dll" \
       "$ROOT/bench/Rnn.Bench/bin/$CONFIG/net10.0/Rnn.Bench.dll" | tee -a "$smoke"; then
    smoke_rc=1
    grep -qE '^(PASS|FAIL|SKIP) slurm' "$smoke" || echo "FAIL slurm: stopped after 600 s" | tee -a "$smoke"
  fi
  tests/Kubernetes/run.sh | tee -a "$smoke" || smoke_rc=1
  passed=$((passed + $(grep -c '^PASS ' "$smoke" || true)))
  failed=$((failed + $(grep -c '^FAIL ' "$smoke" || true)))
  skipped=$((skipped + $(grep -c '^SKIP ' "$smoke" || true)))
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$smoke_rc" -eq 0 ]
}

# The demo: train a model, score a dataset with rnn predict (bad
# records reported, not lost), then a short throughput run against ONNX Runtime with the machine's GEMM limit beside it.
cmd_demo() {
  cmd_build
  local demo="build/demo" total=0 timings=()
  rnn() { dotnet "$ROOT/src/Rnn.Cli/bin/$CONFIG/net10.0/rnn.dll" "$@"; }
  demo_step() {
    local title=$1 started took; shift
    printf '\n==> %s\n$ %s\n' "$title" "$*" >&2
    started=$(date +%s%N)
    "$@"
    took=$(( ($(date +%s%N) - started) / 100000000 ))
    timings+=("$(printf '%5d.%d s  %s' $((took / 10)) $((took % 10)) "$title")"); total=$((total + took))
  }
  rm -rf "$demo"; mkdir -p "$demo"
  demo_step "1/3 train the sentiment sample and save it as a checkpoint" \
    rnn sample sentiment --checkpoint "$demo/sentiment.safetensors"
  demo_step "2/3 score 3,000 bundled reviews with rnn predict (5 malformed records among them, on purpose)" \
    rnn predict --model "$demo/sentiment.safetensors" --input samples/data/reviews.jsonl --output "$demo/predictions.jsonl" \
      --errors "$demo/errors.jsonl" --summary "$demo/summary.json" --labels samples/data/sentiment-labels.txt --max-length 200
  printf '\nthe errors file (%s):\n' "$demo/errors.jsonl"; cat "$demo/errors.jsonl"
  printf '\nthe summary (%s):\n' "$demo/summary.json"; cat "$demo/summary.json"; echo
  demo_step "3/3 throughput of the standard configurations against ONNX Runtime C#, with this machine's GEMM limit (short run)" \
    dotnet "$ROOT/bench/Rnn.Bench/bin/$CONFIG/net10.0/Rnn.Bench.dll" --short --out "$demo/bench.md"
  cat <<EOF

==> done in $((total / 10)).$((total % 10)) s after the build
$(printf '    %s\n' "${timings[@]}")
    model:        $demo/sentiment.safetensors
    predictions:  $demo/predictions.jsonl   (one line per review, in input order: id, label, probabilities, label_name)
    errors:       $demo/errors.jsonl        (every record that could not be scored, with the reason)
    summary:      $demo/summary.json
    throughput:   $demo/bench.md            (the full suite: ./build.sh bench)

Next:
    rnn predict --model YOUR_MODEL.safetensors --input 'your-data/*.jsonl' --output scores.jsonl --workers 2 --summary summary.json
    rnn convert YOUR_MODEL.onnx --output YOUR_MODEL.safetensors      # an ONNX LSTM/GRU/RNN model, then rnn predict it
    dotnet add package RnnNative.OneDnn                              # the same engine in your own .NET project
(rnn is: dotnet $ROOT/src/Rnn.Cli/bin/$CONFIG/net10.0/rnn.dll, or dotnet tool install -g RnnNative.Cli)
EOF
}

cmd_bench() {
  cmd_build
  local out="$ROOT/bench/results/$(date -u +%Y-%m-%d).md" quick=()
  if [ "${1:-}" = "--quick" ]; then quick=(--quick); out="$ROOT/build/bench-quick.md"; shift; fi
  log "bench ${quick[*]} $* -> $out"
  dotnet "$ROOT/bench/Rnn.Bench/bin/$CONFIG/net10.0/Rnn.Bench.dll" "${quick[@]}" --out "$out" "$@"
}

case "${1:-build}" in
  build) cmd_build ;;
  test) cmd_test ;;
  pack) cmd_pack ;;
  demo) cmd_demo ;;
  bench) shift; cmd_bench "$@" ;;
  clean) rm -rf "$ROOT/build" "$ROOT/artifacts"; dotnet clean "$ROOT/RnnNative.sln" -c $CONFIG -v:q >/dev/null ;;
  *) echo "usage: ./build.sh [build|test|pack|demo|bench [--quick] [Rnn.Bench args]|clean]" >&2; exit 2 ;;
esac
