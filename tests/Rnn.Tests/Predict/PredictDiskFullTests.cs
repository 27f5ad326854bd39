using System.Diagnostics;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// A run whose disk fills (a small tmpfs) ends in one line naming the cause, and leaves nothing that takes space or
/// blocks the next run once space is freed.
/// </summary>
public class PredictDiskFullTests
{
    private static void Mount(string folder, string options)
    {
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder]);
        mount.WaitForExit();
    }

    private static void Remount(string folder, string size)
    {
        using var mount = Process.Start("mount", ["-o", $"remount,size={size}", folder]);
        mount.WaitForExit();
    }

    [Test]
    public void AChunkOrAJoinThatFailsForSpaceSaysSoAndTheNextRunFinishes()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") Assert.Ignore("mounts a small tmpfs: needs root on Linux");
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder["small"]);
        Mount(folder["small"], "size=200k");
        if (!File.ReadAllText("/proc/mounts").Contains(folder["small"], StringComparison.Ordinal)) Assert.Ignore("tmpfs could not be mounted here");
        try
        {
            PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
            PredictFiles.WriteTokens(folder["in.jsonl"], 3000, seed: 4);
            string[] Args(string output) => ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", output, "--backend", "managed", "--window", "64", "--quiet"];
            var reference = CliRunner.Run(Args(folder["reference.jsonl"]));
            Assert.That(reference.ExitCode, Is.Zero, reference.Err);
            long size = new FileInfo(folder["reference.jsonl"]).Length;

            // Full while writing a chunk.
            var chunk = CliRunner.Run(Args(folder["small/out.jsonl"]));
            Assert.That(chunk.ExitCode, Is.EqualTo(1), chunk.Err);
            Assert.That(chunk.ErrLines, Has.Length.EqualTo(1));
            Assert.That(chunk.Err, Does.Contain("No space left on device").And.Not.Contain("internal error"));

            // Room for the chunks, not for the join beside them.
            Remount(folder["small"], $"{size + size / 2 + (256 << 10)}");
            var join = CliRunner.Run(Args(folder["small/out.jsonl"]));
            Assert.That(join.ExitCode, Is.EqualTo(1), join.Err);
            Assert.That(join.Err, Does.Contain("No space left on device"));
            Assert.That(File.Exists(folder["small/out.jsonl.tmp"]), Is.False, "a failed join gives back the space it took");

            Remount(folder["small"], $"{4 * size + (1 << 20)}");
            var next = CliRunner.Run(Args(folder["small/out.jsonl"]));
            Assert.That(next.ExitCode, Is.Zero, next.Err);
            Assert.That(File.ReadAllBytes(folder["small/out.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl"])));
        }
        finally
        {
            using var umount = Process.Start("umount", folder["small"]);
            umount.WaitForExit();
        }
    }
}
