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

    /// <summary>
    /// f32 (FMA math, exact to the reference's tolerance) and f16 storage with tensor-core math; bf16 only where
    /// <see cref="CuDnnBf16Support"/> allows it on the default device (cuDNN ≥ 9.13 and compute capability ≥ 8.0).
    /// </summary>
    public bool Supports(RnnPrecision precision) => precision switch
    {
        RnnPrecision.F32 or RnnPrecision.F16 => true,
        RnnPrecision.Bf16 => CuDnnRuntimeProbe.Bf16Refusal(RnnExecutorOptions.Default.Device) is null,
        _ => false,
    };

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= RnnExecutorOptions.Default;
        var availability = Availability;
        if (!availability.IsAvailable) throw new RnnBackendUnavailableException(Name, availability.Reason);
        if (options.Precision is not (RnnPrecision.F32 or RnnPrecision.F16 or RnnPrecision.Bf16))
            throw new RnnBackendUnavailableException(Name, options.Precision == RnnPrecision.Int8
                ? "precision Int8 runs on the onednn backend only (LSTM inference); use f32, f16 or bf16 on cudnn."
                : $"precision {options.Precision} is not supported.");
        int devices = CuDnnRuntimeProbe.DeviceCount;
        if (options.Device < 0 || options.Device >= devices)
            throw new ArgumentException($"options.Device must be a CUDA device index from 0 to {devices - 1}; got {options.Device}.", nameof(options));
        // bf16 depends on the chosen device, not only the default one Supports looks at.
        if (options.Precision == RnnPrecision.Bf16 && CuDnnRuntimeProbe.Bf16Refusal(options.Device) is { } refusal)
            throw new RnnBackendUnavailableException(Name, refusal);

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
