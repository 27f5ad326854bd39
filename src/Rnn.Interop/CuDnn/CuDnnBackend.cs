namespace RnnNative.Interop.CuDnn;

/// <summary>
/// The cuDNN 9 GPU backend: cuDNN's fused RNN kernels through our own bindings. Availability is probed lazily and
/// never throws; without libraries or a GPU it says what was tried and why it failed.
/// </summary>
public sealed class CuDnnBackend : IRnnBackend
{
    public static CuDnnBackend Instance { get; } = new();

    public string Name => "cudnn";

    public BackendAvailability Availability => CuDnnRuntimeProbe.Availability;

    public IReadOnlyList<KeyValuePair<string, string>> Describe() => CuDnnRuntimeProbe.Facts;

    /// <summary>f32 (FMA math, exact to the reference's tolerance), and f16/bf16 storage with tensor-core math.</summary>
    public bool Supports(RnnPrecision precision) => Enum.IsDefined(precision) && precision != RnnPrecision.Int8;

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= RnnExecutorOptions.Default;
        var availability = Availability;
        if (!availability.IsAvailable) throw new RnnBackendUnavailableException(Name, availability.Reason);
        if (!Supports(options.Precision))
            throw new RnnBackendUnavailableException(Name, options.Precision == RnnPrecision.Int8
                ? "precision Int8 runs on the onednn backend only (LSTM inference); use f32, f16 or bf16 on cudnn."
                : $"precision {options.Precision} is not supported.");
        int devices = CuDnnRuntimeProbe.DeviceCount;
        if (options.Device < 0 || options.Device >= devices)
            throw new ArgumentException($"options.Device must be a CUDA device index from 0 to {devices - 1}; got {options.Device}.", nameof(options));

        var precision = CuDnnPrecision.For(options.Precision);
        try
        {
            return new CuDnnRnnExecutor(this, parameters, options, precision);
        }
        catch (RnnBackendUnsupportedException ex)
        {
            // NOT_SUPPORTED family: this cuDNN or GPU cannot run the model in this precision (e.g. bf16 on an old GPU).
            throw new RnnBackendUnavailableException(Name, $"{parameters.Spec} in {precision.Name} is not supported here: {ex.Message}", ex);
        }
    }
}
