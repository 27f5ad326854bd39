#!/usr/bin/env bash
# Assembles the native runtime that ships in RnnNative.OneDnn.Runtime.linux-x64 and that every in-tree build runs:
#   <out>/librnnshim.so      RUNPATH $ORIGIN (set by CMake)
#   <out>/libdnnl.so.2       Debian's oneDNN, RUNPATH set to $ORIGIN here: the loader resolves a library's own
#                            dependencies with that library's RUNPATH, not the shim's, so without it libgomp and
#                            libOpenCL would come from the system.
#   <out>/libgomp.so.1, <out>/libOpenCL.so.1
#   <out>/licenses/          the Debian copyright files of the packages the libraries come from, and the licence
#                            texts they refer to.
# Usage: bundle-runtime.sh <librnnshim.so> <out-dir>
set -euo pipefail
shim=$1 out=$2
command -v patchelf >/dev/null || { echo "bundle-runtime.sh: patchelf is required (apt-get install patchelf)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/licenses"
cp "$shim" "$out/librnnshim.so"
[ "$(patchelf --print-rpath "$out/librnnshim.so")" = '$ORIGIN' ] \
  || { echo "bundle-runtime.sh: $shim must have RUNPATH \$ORIGIN (see native/CMakeLists.txt)" >&2; exit 1; }

# The copies are the libraries the system's loader resolves for the shim: the same files the shim was linked against.
resolved=$(ldd "$shim")
for lib in libdnnl.so.2 libgomp.so.1 libOpenCL.so.1; do
  path=$(awk -v l="$lib" '$1 == l { print $3 }' <<<"$resolved")
  [ -n "$path" ] && [ -f "$path" ] || { echo "bundle-runtime.sh: $lib is not resolved for $shim" >&2; exit 1; }
  cp -L "$path" "$out/$lib"
  chmod 0644 "$out/$lib"
  package=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1 || true)
  if [ -n "$package" ] && [ -f "/usr/share/doc/$package/copyright" ]; then
    cp "/usr/share/doc/$package/copyright" "$out/licenses/$package.copyright"
  fi
done
patchelf --set-rpath '$ORIGIN' "$out/libdnnl.so.2"

for text in Apache-2.0 GPL-3 BSD; do
  [ -f "/usr/share/common-licenses/$text" ] && cp "/usr/share/common-licenses/$text" "$out/licenses/$text.txt"
done
exit 0
