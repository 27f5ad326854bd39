namespace RnnNative.Tests.Validation;

/// <summary>A backend as it runs with <see cref="RnnExecutorOptions.SmallBatchPath"/> forced to one value for every executor.</summary>
internal sealed class PathForcingBackend(IRnnBackend inner, SmallBatchPath path) : IRnnBackend
{
    public string Name => $"{inner.Name} (small-batch path {path.ToString().ToLowerInvariant()})";

    public BackendAvailability Availability => inner.Availability;

    public IReadOnlyList<KeyValuePair<string, string>> Describe() => inner.Describe();

    public bool Supports(RnnPrecision precision) => inner.Supports(precision);

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
        inner.CreateExecutor(parameters, (options ?? RnnExecutorOptions.Default) with { SmallBatchPath = path });
}
