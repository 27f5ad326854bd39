namespace RnnNative.Tests.Validation;

/// <summary>A backend that is never available here, as a missing library or an absent GPU makes one.</summary>
internal sealed class UnavailableBackend : IRnnBackend
{
    public const string Reason = "libexample.so was not found (looked in the test's output directory)";

    public string Name => "unavailable-double";
    public BackendAvailability Availability => BackendAvailability.Unavailable(Reason);
    public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];
    public bool Supports(RnnPrecision precision) => true;

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
        throw new RnnBackendUnavailableException(Name, Reason);
}
