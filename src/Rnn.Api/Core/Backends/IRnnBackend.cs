namespace RnnNative;

/// <summary>
/// A way to run RNNs (the managed reference, oneDNN, cuDNN). Backends differ only behind this seam and
/// <see cref="RnnExecutor"/>; the validation suite checks every backend through them.
/// </summary>
public interface IRnnBackend
{
    /// <summary>Short name used on the command line: managed, onednn, cudnn.</summary>
    string Name { get; }

    BackendAvailability Availability { get; }

    /// <summary>Versions and facts worth printing (library versions, ISA, GPU name, threads).</summary>
    IReadOnlyList<KeyValuePair<string, string>> Describe();

    bool Supports(RnnPrecision precision);

    /// <summary>Prepares a model: converts weights into the backend's layout once, for many calls.</summary>
    RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null);
}
