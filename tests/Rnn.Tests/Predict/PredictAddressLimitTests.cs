using System.Diagnostics;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>rnn predict on oneDNN under an address-space limit (ulimit -v) ends with one line, never a segmentation fault.</summary>
public class PredictAddressLimitTests
{
    [Test]
    public void OneDnnUnderAnAddressSpaceLimitEndsInOneLineNotACrash()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("ulimit -v through sh: Linux");
        OneDnn.OneDnnTestSupport.RequireBackend();
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 400, seed: 3);
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment.Remove("DOTNET_GCRegionRange");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"ulimit -v 3000000; exec dotnet '{Path.Combine(TestContext.CurrentContext.TestDirectory, "rnn.dll")}' predict --model '{folder["c.safetensors"]}' " +
            $"--input '{folder["in.jsonl"]}' --output '{folder["out.jsonl"]}' --backend onednn --quiet");
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(120_000), "finished");
        Assert.That(process.ExitCode, Is.EqualTo(2), $"exit {process.ExitCode} (139 is a segmentation fault): {err.Result}");
        Assert.That(err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), err.Result);
        Assert.That(err.Result, Does.Contain("DOTNET_GCRegionRange"));
    }
}
