# RnnNative build entry point for PowerShell users: ./build.ps1 [build|test|demo|clean]
# Same tasks as build.sh: build (native shim + managed, Release), test (ends with "N passed, N failed, N skipped"), demo.
param([ValidateSet('build', 'test', 'demo', 'clean')][string]$Task = 'build')
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
    Write-Output "$($c.passed) passed, $failed failed, $([int]$c.total - [int]$c.executed) skipped"
    if ($rc -ne 0 -or $failed -ne 0) { exit 1 }
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' { Invoke-Build; Invoke-Checked dotnet @((Join-Path $Root "src/Rnn.Cli/bin/$Config/net10.0/rnn.dll"), 'demo') }
    'clean' { Remove-Item -Recurse -Force (Join-Path $Root 'build') -ErrorAction SilentlyContinue; Invoke-Checked dotnet @('clean', (Join-Path $Root 'RnnNative.sln'), '-c', $Config) }
}
