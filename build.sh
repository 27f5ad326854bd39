#!/usr/bin/env bash
# RnnNative build entry point: ./build.sh [build|test|pack|demo|bench|clean]
#   build  native shim and its bundled runtime (CMake, Release) + managed solution (Release)
#   test   build, run the NUnit suite, pack, and run the package smoke test (tests/PackageSmoke);
#          ends with "N passed, N failed, N skipped"
#   pack   build, then write every NuGet package to artifacts/packages/
#   demo   build, then benchmark the standard configurations on the fastest backend present
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

  # The packages as a user installs them; each check counts as one test.
  local smoke="$results/package-smoke.log" smoke_rc=0
  log "package smoke test"
  if pack_all; then
    tests/PackageSmoke/run.sh "$PACKAGES" "$(package_version)" | tee "$smoke" || smoke_rc=1
  else
    echo "FAIL dotnet pack" | tee "$smoke"; smoke_rc=1
  fi
  passed=$((passed + $(grep -c '^PASS ' "$smoke" || true)))
  failed=$((failed + $(grep -c '^FAIL ' "$smoke" || true)))
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$smoke_rc" -eq 0 ]
}

cmd_demo() {
  cmd_build
  log "demo: throughput of the standard configurations on the fastest backend present"
  dotnet "$ROOT/src/Rnn.Cli/bin/$CONFIG/net10.0/rnn.dll" demo
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
