#!/usr/bin/env bash
# The documentation's examples, run as a user would run them: every ```csharp block of README.md and docs/*.md is a
# top-level program, built in a fresh project that knows RnnNative only as the packed packages (its own empty NuGet
# cache, a nuget.config naming the packages folder) and run; every ```bash block preceded by `<!-- run -->` runs with
# the rnn tool installed from the packages on PATH. Each runs in an empty folder holding classifier.safetensors, the
# PyTorch-made classifier of tests/golden/predict (the model the README's Python snippet describes).
# A ```csharp fragment block is built (with the library's namespaces imported) but not run. Other blocks (python,
# yaml, unmarked shell) are not run; the output says how many per file.
# Prints "PASS <file>:<line> ..." or "FAIL <file>:<line> ...: why" per example; exits non-zero if any failed.
# Usage: tests/DocExamples/run.sh <packages-dir> <version>
set -uo pipefail
packages=$(cd "$1" && pwd) version=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/../lib/package-feed.sh" docexamples
fixture="$root/tests/golden/predict/classifier.safetensors"

# One project; each example is built alone into its own output folder (-p:Example=NAME), so top-level programs do not
# collide and the package restore happens once.
mkdir -p "$work/app/examples" "$work/blocks"
cat >"$work/app/Examples.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="examples/\$(Example).cs" />
    <PackageReference Include="RnnNative.OneDnn" Version="$version" />
  </ItemGroup>
</Project>
PROJECT

# Extract: blocks/<n>.<kind> with blocks/<n>.name = "<file>:<line of the opening fence>".
cd "$root"
n=0
for md in README.md docs/*.md; do
  awk -v md="$md" -v out="$work/blocks" -v start="$n" '
    BEGIN { n = start; inside = 0; marked = 0 }
    !inside && /^```/ {
      info = substr($0, 4); gsub(/[ \t]+$/, "", info)
      kind = ""
      if (info == "csharp") kind = "cs"
      else if (info == "csharp fragment") kind = "fragment"
      else if (info == "bash" && marked) kind = "sh"
      else { split(info, w, " "); lang = (w[1] == "" ? "plain" : w[1]); skipped[lang]++ }
      inside = 1; marked = 0; file = ""
      if (kind != "") { n++; file = out "/" n "." kind; printf "%s:%d\n", md, NR > (out "/" n ".name") }
      next
    }
    inside && /^```[ \t]*$/ { inside = 0; if (file != "") close(file); file = ""; next }
    inside { if (file != "") print > file; next }
    /^<!-- run -->[ \t]*$/ { marked = 1; next }
    /[^ \t]/ { marked = 0 }
    END {
      note = ""
      for (l in skipped) note = note (note == "" ? "" : ", ") skipped[l] " " l
      if (note != "") printf "# %s: not run: %s (not csharp, and not bash marked <!-- run -->)\n", md, note
      print n > (out "/count")
    }' "$md"
  n=$(cat "$work/blocks/count")
done

if (cd "$work/app" && dotnet restore >"$work/restore.log" 2>&1); then :
else fail "restore RnnNative.OneDnn $version" "$(tail -n 3 "$work/restore.log" | tr '\n' ' ')"; exit 1; fi
if ls "$work/blocks"/*.sh >/dev/null 2>&1; then
  (cd "$work" && dotnet tool install RnnNative.Cli --version "$version" --tool-path "$work/tools") >"$work/tool.log" 2>&1 \
    || fail "dotnet tool install RnnNative.Cli" "$(tail -n 3 "$work/tool.log" | tr '\n' ' ')"
fi

fresh_folder() { local d="$work/run/$1"; mkdir -p "$d"; cp "$fixture" "$d/classifier.safetensors"; echo "$d"; }
# An exception's own message says more than the end of its stack trace.
why() { { grep -m2 -E 'Unhandled exception|Exception: ' "$1" || tail -n 5 "$1"; } | tr '\n' ' ' | cut -c1-600; }

for ((i = 1; i <= n; i++)); do
  name=$(cat "$work/blocks/$i.name")
  if [ -f "$work/blocks/$i.sh" ]; then
    dir=$(fresh_folder "ex$i")
    if (cd "$dir" && PATH="$work/tools:$PATH" timeout 300 bash -euo pipefail "$work/blocks/$i.sh") >"$work/ex$i.log" 2>&1
    then pass "$name (bash, run): $(tail -n 1 "$work/ex$i.log" | cut -c1-160)"; else fail "$name (bash, run)" "$(tail -n 5 "$work/ex$i.log" | tr '\n' ' ' | cut -c1-600)"; fi
    continue
  fi
  kind=cs; [ -f "$work/blocks/$i.fragment" ] && kind=fragment
  if [ $kind = fragment ]; then
    { printf 'using System.Numerics.Tensors;\nusing RnnNative;\nusing RnnNative.Formats;\nusing RnnNative.Inference;\nusing RnnNative.Models;\n'
      cat "$work/blocks/$i.fragment"; } >"$work/app/examples/ex$i.cs"
  else cp "$work/blocks/$i.cs" "$work/app/examples/ex$i.cs"; fi
  if ! (cd "$work/app" && dotnet build --no-restore -c Release -nologo -v:q -clp:ErrorsOnly -p:Example="ex$i" \
        -p:AssemblyName="ex$i" -p:IntermediateOutputPath="obj/ex$i/" -p:OutputPath="bin/ex$i/") >"$work/ex$i.build.log" 2>&1; then
    fail "$name (C#)" "does not build: $(grep -m3 'error' "$work/ex$i.build.log" | tr '\n' ' ' | cut -c1-600)"; continue
  fi
  if [ $kind = fragment ]; then pass "$name (C# fragment, built, not run)"; continue; fi
  dir=$(fresh_folder "ex$i")
  if (cd "$dir" && timeout 300 dotnet "$work/app/bin/ex$i/ex$i.dll") >"$work/ex$i.log" 2>&1
  then pass "$name (C#, run): $(tail -n 1 "$work/ex$i.log" | cut -c1-160)"; else fail "$name (C#, run)" "$(why "$work/ex$i.log")"; fi
done

[ $failures -eq 0 ]
