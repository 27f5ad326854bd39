using System.Diagnostics;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// rnn predict on oneDNN under an address-space limit (ulimit -v, as HPC sites set): it runs where there is room enough
/// once glibc's malloc arenas are bounded, with the same output as without a limit, and is refused in one line where
/// there is not; never a segmentation fault.
/// </summary>
public class PredictAddressLimitTests
{
    private static (int ExitCode, string Err) RunUnderLimit(TempFolder folder, long? limitKiB, string output)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment.Remove("DOTNET_GCRegionRange");
        info.Environment.Remove("COMPlus_GCRegionRange");
        info.ArgumentList.Add("-c");
        // Two threads and 8 MiB stacks: the room oneDNN needs grows with its threads and their stacks, and neither the
        // machine's core count nor the stack limit it was started with must decide the outcome.
        info.ArgumentList.Add($"ulimit -s 8192; {(limitKiB is { } kib ? $"ulimit -v {kib}; " : "")}exec dotnet '{Path.Combine(TestContext.CurrentContext.TestDirectory, "rnn.dll")}' predict " +
            $"--model '{folder["c.safetensors"]}' --input '{folder["in.jsonl"]}' --output '{output}' --backend onednn --threads 2 --quiet");
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("did not finish in 120 s");
        }
        return (process.ExitCode, err.Result);
    }

    private static TempFolder Prepare()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("ulimit -v through sh: Linux");
        OneDnn.OneDnnTestSupport.RequireBackend();
        var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 400, seed: 3);
        return folder;
    }

    [Test]
    public void OneDnnUnderA3GBLimitRunsWithTheOutputOfAnUnlimitedRun()
    {
        using var folder = Prepare();
        var unlimited = RunUnderLimit(folder, null, folder["free.jsonl"]);
        Assert.That(unlimited.ExitCode, Is.Zero, unlimited.Err);
        var limited = RunUnderLimit(folder, 3_000_000, folder["limited.jsonl"]);
        Assert.That(limited.ExitCode, Is.Zero, $"exit {limited.ExitCode} (139 is a segmentation fault): {limited.Err}");
        Assert.That(File.ReadAllBytes(folder["limited.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["free.jsonl"])));
    }

    [Test]
    public void OneDnnUnderALimitTooSmallEndsInOneLineNotACrash()
    {
        using var folder = Prepare();
        var result = RunUnderLimit(folder, 2_500_000, folder["out.jsonl"]);
        Assert.That(result.ExitCode, Is.EqualTo(2), $"exit {result.ExitCode} (139 is a segmentation fault): {result.Err}");
        Assert.That(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), result.Err);
        Assert.That(result.Err, Does.Contain("DOTNET_GCRegionRange"));
    }
}
