using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// A cudnnRNNDataDescriptor_t for x or y: time-major [T, N, vector] with per-sequence lengths and padding filled
/// with zeros (SEQ_MAJOR_UNPACKED, which the RNN descriptor allows because padded I/O is enabled).
/// </summary>
internal sealed class CuDnnRnnDataDescriptor : SafeHandleZeroOrMinusOneIsInvalid
{
    // Eight zero bytes read as 0 in every data type, so one fill value serves f32, f16 and bf16. It lives for the
    // whole process, so it stays valid whether cuDNN copies the value at Set time or reads it later.
    private static readonly unsafe void* ZeroFill = NativeMemory.AllocZeroed(8);

    private CuDnnRnnDataDescriptor() : base(ownsHandle: true) { }

    public static CuDnnRnnDataDescriptor Create()
    {
        CuDnnStatusCheck.Check(CuDnnNative.cudnnCreateRNNDataDescriptor(out var raw), "cudnnCreateRNNDataDescriptor");
        var descriptor = new CuDnnRnnDataDescriptor();
        descriptor.SetHandle(raw);
        return descriptor;
    }

    public unsafe void SetSequenceMajor(CuDnnDataType dataType, int maxSeqLength, int vectorSize, ReadOnlySpan<int> lengths)
    {
        fixed (int* lengthPtr = lengths)
        {
            CuDnnStatusCheck.Check(CuDnnNative.cudnnSetRNNDataDescriptor(this, dataType, CuDnnRnnDataLayout.SeqMajorUnpacked,
                maxSeqLength, lengths.Length, vectorSize, lengthPtr, ZeroFill), "cudnnSetRNNDataDescriptor");
        }
    }

    protected override bool ReleaseHandle() => CuDnnNative.cudnnDestroyRNNDataDescriptor(handle) == CuDnnStatus.Success;
}
