namespace RnnNative.Interop.CuDnn;

/// <summary>The cuDNN GPU backend. Scaffolding: replaced by the real backend.</summary>
public sealed class CuDnnBackend : IRnnBackend
{
    public static CuDnnBackend Instance { get; } = new();
    public string Name => "cudnn";
    public BackendAvailability Availability => BackendAvailability.Unavailable("not built yet");
    public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];
    public bool Supports(RnnPrecision precision) => false;
    public IRnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
        throw new RnnBackendUnavailableException(Name, Availability.Reason);
}
