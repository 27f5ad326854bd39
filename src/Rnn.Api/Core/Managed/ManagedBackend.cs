namespace RnnNative.Managed;

/// <summary>The pure C# reference backend: always available, exact (double accumulation), the oracle for the others.</summary>
public sealed class ManagedBackend : IRnnBackend
{
    public static ManagedBackend Instance { get; } = new();

    public string Name => "managed";

    public BackendAvailability Availability { get; } = BackendAvailability.Available("pure C# reference, double accumulation");

    public IReadOnlyList<KeyValuePair<string, string>> Describe() =>
    [
        new("engine", "reference (double accumulation)"),
        new("threads", "1"),
    ];

    public bool Supports(RnnPrecision precision) => precision == RnnPrecision.F32;

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= RnnExecutorOptions.Default;
        if (!Supports(options.Precision))
            throw new RnnBackendUnavailableException(Name, options.Precision == RnnPrecision.Int8
                ? "precision Int8 runs on the onednn backend only (LSTM inference); the reference computes in f32 with double accumulation."
                : $"precision {options.Precision} is not supported; the reference computes in f32 with double accumulation.");
        return new ManagedRnnExecutor(this, parameters, options);
    }
}
