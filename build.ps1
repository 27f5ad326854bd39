# RnnNative build entry point for PowerShell users: ./build.ps1 [build|test|pack|demo|clean]
# Same tasks as build.sh: build (native shim and its bundled runtime + managed, Release), test (the NUnit suite and the
# package smoke test; ends with "N passed, N failed, N skipped"), pack (every package to artifacts/packages), demo.
param([ValidateSet('build', 'test', 'pack', 'demo', 'clean')][string]$Task = 'build')
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$Root = $PSScriptRoot
$Config = 'Release'
$NativeBuild = Join-Path $Root 'build/native'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

function Invoke-Checked([string]$exe, [string[]]$argv) {
    & $exe @argv
    if ($LASTEXITCODE -ne 0) { throw "$exe $($argv -join ' ') failed with exit code $LASTEXITCODE" }
}

function Install-Dependencies {
    if (-not $IsLinux) { return }
    $missing = @()
    if (-not (Get-Command cmake -ErrorAction SilentlyContinue)) { $missing += 'cmake' }
    if (-not (Get-Command g++ -ErrorAction SilentlyContinue)) { $missing += 'g++' }
    if (-not (Get-Command make -ErrorAction SilentlyContinue)) { $missing += 'make' }
    if (-not (Test-Path /usr/include/oneapi/dnnl/dnnl.hpp)) { $missing += 'libdnnl-dev' }
    if (-not (Test-Path /usr/lib/x86_64-linux-gnu/libOpenCL.so)) { $missing += 'ocl-icd-opencl-dev' }
    if (-not (Test-Path /usr/include/CL/cl.h)) { $missing += 'opencl-c-headers' }
    if (-not (Get-Command patchelf -ErrorAction SilentlyContinue)) { $missing += 'patchelf' }
    if ($missing.Count -gt 0) {
        $sudo = if ((& id -u) -eq '0') { @() } else { @('sudo') }
        Write-Host "==> installing: $($missing -join ' ')"
        & @sudo apt-get update -qq
        & @sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends @missing
        if ($LASTEXITCODE -ne 0) { throw 'apt-get install failed' }
    }
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw 'the .NET SDK (10.0) is required' }
}

function Invoke-Build {
    Install-Dependencies
    Write-Host "==> native shim (CMake, $Config)"
    Invoke-Checked cmake @('-S', $Root, '-B', $NativeBuild, "-DCMAKE_BUILD_TYPE=$Config")
    Invoke-Checked cmake @('--build', $NativeBuild, '--config', $Config)
    Write-Host "==> managed solution ($Config)"
    Invoke-Checked dotnet @('build', (Join-Path $Root 'RnnNative.sln'), '-c', $Config, '-nologo', '-v:q', '-clp:ErrorsOnly')
}

$Packages = Join-Path $Root 'artifacts/packages'

function Invoke-Pack {
    Remove-Item -Recurse -Force $Packages -ErrorAction SilentlyContinue
    # A CI build: deterministic, with source paths normalised in the symbols.
    Invoke-Checked dotnet @('pack', (Join-Path $Root 'RnnNative.sln'), '-c', $Config, '-nologo', '-v:q', '-clp:ErrorsOnly', '-p:ContinuousIntegrationBuild=true')
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Root 'build/test-results'
    Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
    & dotnet test (Join-Path $Root 'tests/Rnn.Tests/Rnn.Tests.csproj') -c $Config --no-build -nologo `
        --logger 'trx;LogFileName=results.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $rc = $LASTEXITCODE
    [xml]$trx = Get-Content (Join-Path $results 'results.trx')
    $c = $trx.TestRun.ResultSummary.Counters
    $failed = [int]$c.failed + [int]$c.error
    $passed = [int]$c.passed
    Invoke-Pack
    $version = (& dotnet msbuild (Join-Path $Root 'src/Rnn.Api/Core/RnnNative.csproj') -getProperty:Version -nologo).Trim()
    $smoke = & bash (Join-Path $Root 'tests/PackageSmoke/run.sh') $Packages $version
    $smokeRc = $LASTEXITCODE
    $smoke | Write-Host
    $passed += @($smoke | Where-Object { $_ -like 'PASS *' }).Count
    $failed += @($smoke | Where-Object { $_ -like 'FAIL *' }).Count
    Write-Output "$passed passed, $failed failed, $([int]$c.total - [int]$c.executed) skipped"
    if ($rc -ne 0 -or $failed -ne 0 -or $smokeRc -ne 0) { exit 1 }
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'pack' { Invoke-Build; Invoke-Pack; Get-ChildItem $Packages | ForEach-Object Name }
    'demo' { Invoke-Build; Invoke-Checked dotnet @((Join-Path $Root "src/Rnn.Cli/bin/$Config/net10.0/rnn.dll"), 'demo') }
    'clean' { Remove-Item -Recurse -Force (Join-Path $Root 'build'), (Join-Path $Root 'artifacts') -ErrorAction SilentlyContinue; Invoke-Checked dotnet @('clean', (Join-Path $Root 'RnnNative.sln'), '-c', $Config) }
}
