# Sourced by the scripts that test the packed packages as a user meets them (tests/PackageSmoke, tests/DocExamples),
# after they set $packages: a scratch folder $work (removed on exit) with its own empty NuGet cache and a nuget.config
# naming $packages, nothing of the build tree on the library path, and the PASS/FAIL reporting they share.
# Usage: source tests/lib/package-feed.sh <scratch-name>
work=$(mktemp -d "/tmp/rnnnative-$1.XXXXXX")
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/nuget-cache" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset RNNNATIVE_SHIM_PATH LD_LIBRARY_PATH
failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

cat >"$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="rnnnative-local" value="$packages" />
  </packageSources>
</configuration>
CONFIG
