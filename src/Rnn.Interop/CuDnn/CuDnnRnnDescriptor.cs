using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A cudnnRNNDescriptor_t configured for one <see cref="RnnSpec"/> and precision (cudnnSetRNNDescriptor_v8).</summary>
internal sealed class CuDnnRnnDescriptor : SafeHandleZeroOrMinusOneIsInvalid
{
    private CuDnnRnnDescriptor() : base(ownsHandle: true) { }

    public static CuDnnRnnDescriptor Create()
    {
        CuDnnStatusCheck.Check(CuDnnNative.cudnnCreateRNNDescriptor(out var raw), "cudnnCreateRNNDescriptor");
        var descriptor = new CuDnnRnnDescriptor();
        descriptor.SetHandle(raw);
        return descriptor;
    }

    public void Configure(RnnSpec spec, CuDnnPrecision precision, CuDnnDropoutDescriptor dropout)
    {
        // ALGO_STANDARD is the only algorithm that accepts per-sequence lengths (and projections).
        CuDnnStatusCheck.Check(CuDnnNative.cudnnSetRNNDescriptor_v8(this, CuDnnRnnAlgo.Standard, CuDnnCellModes.For(spec.Cell),
            spec.HasBias ? CuDnnRnnBiasMode.DoubleBias : CuDnnRnnBiasMode.NoBias,
            spec.Bidirectional ? CuDnnDirectionMode.Bidirectional : CuDnnDirectionMode.Unidirectional,
            CuDnnRnnInputMode.LinearInput, precision.DataType, precision.MathPrecision, precision.MathType,
            spec.InputSize, spec.HiddenSize, ProjSize(spec), spec.NumLayers, dropout, CuDnnRnnAuxFlags.PaddedIoEnabled),
            $"cudnnSetRNNDescriptor_v8 for {spec} in {precision.Name}");
    }

    /// <summary>
    /// cudnnSetRNNDescriptor_v8's projSize: PyTorch's proj_size for an LSTM with a projection, otherwise hiddenSize, which
    /// is what PyTorch, Paddle and MXNet pass for "no projection" (the 0 of some cuDNN doc comments is not relied on).
    /// </summary>
    internal static int ProjSize(RnnSpec spec) => spec.HasProjection ? spec.ProjectionSize : spec.HiddenSize;

    protected override bool ReleaseHandle() => CuDnnNative.cudnnDestroyRNNDescriptor(handle) == CuDnnStatus.Success;
}
