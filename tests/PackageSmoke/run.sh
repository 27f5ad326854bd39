#!/usr/bin/env bash
# The packages as a user meets them: a console project in an empty folder, with its own empty NuGet cache and a
# nuget.config naming artifacts/packages beside the normal feed, adds RnnNative.OneDnn, runs with `dotnet run`
# (runtimes/ layout) and as `dotnet publish -r linux-x64` output (flat layout), and must load libdnnl, libgomp and
# libOpenCL from the package's files, not the system's. Then the tool: installed with --tool-path, `rnn info` and
# `rnn validate --backend onednn --quick`.
# Prints one line per check, "PASS <name>" or "FAIL <name>: why", and exits non-zero if any failed.
# Usage: tests/PackageSmoke/run.sh <packages-dir> <version>
set -uo pipefail
packages=$(cd "$1" && pwd) version=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/package-feed.sh" smoke

mkdir -p "$work/app"
cp "$here/app/Program.cs" "$here/app/Smoke.csproj" "$work/app/"
cd "$work/app"

# Every native library the program reports must sit in the package's folder: the NuGet cache copy of
# RnnNative.OneDnn.Runtime.linux-x64 or the application's own copy of it (bin/, runtimes/linux-x64/native or flat).
check_loaded() { # <name> <log> <allowed-prefix>...
  local name=$1 log=$2; shift 2
  local lib line ok
  for lib in librnnshim.so libdnnl.so libgomp.so libOpenCL.so; do
    line=$(grep -m1 "^loaded $lib: " "$log" | sed "s/^loaded $lib: //")
    if [ -z "$line" ]; then fail "$name" "$lib was not loaded"; return; fi
    ok=0
    for prefix in "$@"; do case "$line" in "$prefix"*) ok=1 ;; esac; done
    if [ $ok -ne 1 ]; then fail "$name" "$lib came from $line"; return; fi
  done
  pass "$name"
}

if dotnet add package RnnNative.OneDnn --version "$version" >"$work/add.log" 2>&1; then pass "dotnet add package RnnNative.OneDnn"
else fail "dotnet add package RnnNative.OneDnn" "$(tail -n 3 "$work/add.log" | tr '\n' ' ')"; fi

if dotnet run -c Release >"$work/run.log" 2>&1 && grep -q "output: .* ok" "$work/run.log"; then pass "dotnet run: onednn matches managed"
else fail "dotnet run: onednn matches managed" "$(tail -n 5 "$work/run.log" | tr '\n' ' ')"; fi
runtime_cache="$NUGET_PACKAGES/rnnnative.onednn.runtime.linux-x64/$version/runtimes/linux-x64/native/"
check_loaded "dotnet run: native libraries from the package" "$work/run.log" "$runtime_cache" "$work/app/bin/"

if dotnet publish -c Release -r linux-x64 --self-contained false -o "$work/publish" >"$work/publish.log" 2>&1 \
   && "$work/publish/Smoke" >"$work/published.log" 2>&1 && grep -q "output: .* ok" "$work/published.log"; then
  pass "dotnet publish -r linux-x64: onednn matches managed"
else fail "dotnet publish -r linux-x64: onednn matches managed" "$(tail -n 5 "$work/publish.log" "$work/published.log" 2>/dev/null | tr '\n' ' ')"; fi
check_loaded "dotnet publish -r linux-x64: native libraries beside the app" "$work/published.log" "$work/publish/"

cd "$work"
if dotnet tool install RnnNative.Cli --version "$version" --tool-path "$work/tools" >"$work/tool.log" 2>&1; then pass "dotnet tool install RnnNative.Cli"
else fail "dotnet tool install RnnNative.Cli" "$(tail -n 3 "$work/tool.log" | tr '\n' ' ')"; fi
if "$work/tools/rnn" info >"$work/info.log" 2>&1 && grep -q "onednn" "$work/info.log"; then pass "rnn info (installed tool)"
else fail "rnn info (installed tool)" "$(tail -n 3 "$work/info.log" | tr '\n' ' ')"; fi
if "$work/tools/rnn" validate --backend onednn --quick >"$work/validate.log" 2>&1; then pass "rnn validate --backend onednn --quick (installed tool): $(tail -n 1 "$work/validate.log")"
else fail "rnn validate --backend onednn --quick (installed tool)" "$(tail -n 3 "$work/validate.log" | tr '\n' ' ')"; fi

[ $failures -eq 0 ]
