using System.Diagnostics;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>Inputs that are streams, not files: a named pipe, standard input closed, and standard input resumed with other records.</summary>
public class PredictStreamTests
{
    [Test]
    public void ANamedPipeIsReadOnceEvenWithProgressOn()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("named pipes via mkfifo: Linux");
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 30, seed: 2);
        using (var mkfifo = Process.Start("mkfifo", folder["pipe.jsonl"])) mkfifo.WaitForExit();
        var writer = Task.Run(() => File.WriteAllBytes(folder["pipe.jsonl"], File.ReadAllBytes(folder["in.jsonl"])));
        var run = Task.Run(() => CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["pipe.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed"));
        if (!run.Wait(TimeSpan.FromSeconds(90)))
        {
            // Unblock the reader with an empty writer so the test process is not left hanging.
            using (File.OpenWrite(folder["pipe.jsonl"])) { }
            Assert.Fail("rnn predict hung on a named pipe");
        }
        writer.Wait();
        Assert.That(run.Result.ExitCode, Is.Zero, run.Result.Err);
        Assert.That(run.Result.Out, Does.StartWith("predict: 30 records (0 errors)"));
        Assert.That(File.ReadAllLines(folder["out.jsonl"]), Has.Length.EqualTo(30));
    }

    [Test]
    public void StandardInputClosedIsRefusedNotWaitedOn()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("closing a child's standard input through sh: Linux");
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec dotnet '{Path.Combine(TestContext.CurrentContext.TestDirectory, "rnn.dll")}' predict --model '{folder["c.safetensors"]}' --input - --output '{folder["out.jsonl"]}' --backend managed <&-");
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(90_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("rnn predict --input - waited forever on a closed standard input");
        }
        Assert.That(process.ExitCode, Is.EqualTo(2), err.Result);
        Assert.That(err.Result, Does.Contain("standard input is closed"));
    }

    [Test]
    public void AResumedStandardInputMustHoldTheSameRecords()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var lines = Enumerable.Range(0, 100).Select(i => i == 55 ? $"{{\"id\":{i},\"tokens\":[99]}}" : $"{{\"id\":{i},\"tokens\":[{i % 7},{i % 5},1]}}").ToArray();
        File.WriteAllLines(folder["in.jsonl"], lines);
        string[] common = ["--model", folder["c.safetensors"], "--backend", "managed", "--window", "10", "--quiet"];
        Assert.That(CliRunner.Run(["predict", .. common, "--input", folder["in.jsonl"], "--output", folder["reference.jsonl"]]).ExitCode, Is.Zero);

        (int Code, string Err) Run(string[] input, params string[] extra)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])[Path.Combine(TestContext.CurrentContext.TestDirectory, "rnn.dll"), "predict", .. common, "--input", "-", "--output", folder["out.jsonl"], .. extra])
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                foreach (var line in input) process.StandardInput.Write(line + "\n");
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The run refused the input before reading all of it.
            }
            Assert.That(process.WaitForExit(120_000), "finished");
            return (process.ExitCode, stderr.Result);
        }

        Assert.That(Run(lines, "--max-errors", "0").Code, Is.EqualTo(3), "stopped after five committed chunks");
        var other = lines.ToArray();
        other[12] = "{\"id\":12,\"tokens\":[3,3,3]}";
        var refused = Run(other);
        Assert.That(refused.Code, Is.EqualTo(2), refused.Err);
        Assert.That(refused.Err, Does.Contain("not the input the committed chunks were computed from"));
        var resumed = Run(lines);
        Assert.That(resumed.Code, Is.Zero, resumed.Err);
        Assert.That(File.ReadAllBytes(folder["out.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl"])));
    }
}
