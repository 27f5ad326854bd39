using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Int8;

/// <summary>
/// The oneDNN backend with a deliberately wrong int8 calibration: every layer's scale multiplied and shift moved before
/// the executor sees them (as a calibration bug or a stale model file would), so the validation suite must reject it.
/// </summary>
internal sealed class MiscalibratingBackend(float scaleFactor, float shiftOffset) : IRnnBackend
{
    public string Name => "miscalibrated-onednn";
    public BackendAvailability Availability => OneDnnBackend.Instance.Availability;
    public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];
    public bool Supports(RnnPrecision precision) => precision == RnnPrecision.Int8;

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
    {
        var q = options!.Quantization!;
        var wrong = new Int8Quantization(q.Layers.Select(l => new Int8LayerQuantization(l.Scale * scaleFactor, Math.Clamp(l.Shift + shiftOffset, 0, 255))).ToArray());
        return OneDnnBackend.Instance.CreateExecutor(parameters, options with { Quantization = wrong });
    }
}
