using RnnNative.Cli.Predict;
using RnnNative.Inference;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// A commit costs the same whatever came before it: rewriting the whole manifest at every commit made --window 1 over N
/// records write O(N²) bytes. Counted in bytes written, not timed.
/// </summary>
public class PredictCommitCostTests
{
    private static ChunkedOutput Open(TempFolder folder) => ChunkedOutput.Open(folder["out.jsonl"], folder["out.jsonl.errors.jsonl"], JsonlResultFormat.Instance,
        new SortedDictionary<string, string>(StringComparer.Ordinal) { ["model"] = "test" }, window: 1, ShardSelection.All);

    [Test]
    public void ACommitWritesTheSameFewBytesToTheManifestHoweverManyChunksCameBefore()
    {
        using var folder = new TempFolder();
        var shape = new OutputShape(ModelKind.Classifier, StepProbabilities: false, FullOutput: false, LabelNames: null);
        var statistics = new PredictionStatistics();
        var output = Open(folder);
        const int Commits = 300;
        var bytes = new long[Commits];
        for (int i = 0; i < Commits; i++)
        {
            // A window of one bad record: a whole chunk, without running a model.
            var chunk = output.BeginChunk(shape);
            chunk.Add(PredictionResult.Failed(PredictionRecord.Rejected("bad", line: i + 1), "bad"), $"{{\"line\":{i + 1},\"reason\":\"bad\"}}");
            long before = output.ManifestBytesWritten;
            output.Commit(chunk, statistics, () => 0.001);
            bytes[i] = output.ManifestBytesWritten - before;
        }
        Assert.That(bytes[0], Is.GreaterThan(0), "a commit is recorded");
        // The chunk's index gains digits as the run goes on; nothing else in a commit's record grows.
        Assert.That(bytes[Commits - 1], Is.LessThanOrEqualTo(bytes[..10].Max() + 4), $"commit 1: {bytes[0]} bytes, commit {Commits}: {bytes[Commits - 1]} bytes");

        // A killed run: the journal's last line cut short by the crash. The same command resumes after every whole line.
        string journal = Path.Combine(ChunkedOutput.PartsFolderFor(folder["out.jsonl"]), PredictJournal.FileName);
        File.AppendAllText(journal, "{\"index\":300,\"chunk\":{\"records\":");
        var resumed = Open(folder);
        Assert.That(resumed.Manifest.Chunks, Has.Count.EqualTo(Commits));
        Assert.That(resumed.Repairs, Is.Empty);
        Assert.That(File.ReadAllText(PredictManifest.PathFor(folder["out.jsonl"])), Does.Contain("\"chunks\""));
        Assert.That(PredictManifest.Load(folder["out.jsonl"])!.Chunks, Has.Count.EqualTo(Commits), "folded into the manifest when the run opened");
        Assert.That(File.Exists(journal), Is.False, "the journal is emptied once the manifest lists its chunks");
    }
}
