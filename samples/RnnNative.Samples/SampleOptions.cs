using RnnNative.Managed;

namespace RnnNative.Samples;

/// <summary>
/// How to run a sample: the seed (runs are reproducible from it), the backend that runs the RNN layers (the managed
/// reference unless told otherwise), the folder for files a sample writes (the vanishing-gradient plot), and where a
/// sample that trains a ready model saves it as a checkpoint (<see cref="SampleInfo.SavesCheckpoint"/>).
/// </summary>
public sealed record SampleOptions(int Seed = 1, IRnnBackend? Backend = null, string? OutputDirectory = null, string? CheckpointPath = null)
{
    public IRnnBackend ResolvedBackend => Backend ?? ManagedBackend.Instance;

    public string ResolvedOutputDirectory => OutputDirectory ?? Directory.GetCurrentDirectory();
}
