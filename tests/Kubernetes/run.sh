#!/usr/bin/env bash
# The Kubernetes Jobs of docs/scale-out.md against the batch/v1 schema (check_manifests.py: structure only, no
# cluster). Needs python3 with PyYAML; installs Debian's python3-yaml when it is missing and this runs as root.
# Prints "PASS kubernetes: ..." / "FAIL kubernetes: ..." per manifest, or one "SKIP kubernetes: why".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! python3 -c 'import yaml' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    { timeout 120 env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      timeout 180 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-yaml; } >/dev/null 2>&1
  fi
  python3 -c 'import yaml' 2>/dev/null || { echo "SKIP kubernetes: python3 with PyYAML (Debian: python3-yaml) is not installed and could not be"; exit 0; }
fi
cd "$root" && python3 tests/Kubernetes/check_manifests.py docs/scale-out.md
