using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A non-blocking CUDA stream; each pooled call workspace owns one and orders all its call's copies and kernels on it.</summary>
internal sealed class CudaStream : SafeHandleZeroOrMinusOneIsInvalid
{
    private CudaStream() : base(ownsHandle: true) { }

    public static CudaStream Create()
    {
        CudaStatusCheck.Check(CudaRuntimeNative.cudaStreamCreateWithFlags(out var raw, CudaRuntimeNative.StreamNonBlocking), "cudaStreamCreateWithFlags");
        var stream = new CudaStream();
        stream.SetHandle(raw);
        return stream;
    }

    public void Synchronize() => CudaStatusCheck.Check(CudaRuntimeNative.cudaStreamSynchronize(this), "cudaStreamSynchronize");

    protected override bool ReleaseHandle() => CudaRuntimeNative.cudaStreamDestroy(handle) == CudaError.Success;
}
