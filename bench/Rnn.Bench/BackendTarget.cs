namespace RnnNative.Bench;

/// <summary>A backend and precision to measure; <see cref="OnnxRuntime"/> names the peer's row.</summary>
public sealed record BackendTarget(string Backend, RnnPrecision Precision)
{
    public static BackendTarget OnnxRuntime { get; } = new("onnxruntime", RnnPrecision.F32);

    public override string ToString() => $"{Backend}-{Precision.ToString().ToLowerInvariant()}";
}
