namespace RnnNative.Interop.OneDnn;

/// <summary>The oneDNN CPU backend (native shim). Scaffolding: replaced by the real backend.</summary>
public sealed class OneDnnBackend : IRnnBackend
{
    public static OneDnnBackend Instance { get; } = new();
    public string Name => "onednn";
    public BackendAvailability Availability => BackendAvailability.Unavailable("not built yet");
    public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];
    public bool Supports(RnnPrecision precision) => false;
    public IRnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
        throw new RnnBackendUnavailableException(Name, Availability.Reason);
}
