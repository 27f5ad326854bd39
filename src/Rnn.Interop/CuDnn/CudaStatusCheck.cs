using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A CUDA runtime call failed; the message carries the call, the error name and the runtime's description.</summary>
public sealed class CudaException : RnnBackendException
{
    internal CudaException(string call, int code, string description)
        : base("cudnn", ErrorCodeOf(code), code, $"{call} failed: {description}")
    {
        Call = call;
    }

    public string Call { get; }

    /// <summary>The cudaError_t value.</summary>
    public int Code => NativeCode;

    /// <summary>cudaErrorInvalidValue (1) and cudaErrorMemoryAllocation (2) have their own kinds; the rest are device failures.</summary>
    internal static RnnBackendErrorCode ErrorCodeOf(int code) => code switch
    {
        1 => RnnBackendErrorCode.InvalidArgument,
        2 => RnnBackendErrorCode.OutOfMemory,
        _ => RnnBackendErrorCode.DeviceFailure,
    };

    internal static void Check(CudaError error, string call)
    {
        if (error != CudaError.Success) throw new CudaException(call, (int)error, Describe(error));
    }

    /// <summary>"cudaErrorNoDevice (100): no CUDA-capable device is detected", from the loaded runtime's own tables.</summary>
    internal static string Describe(CudaError error)
    {
        string? name = Marshal.PtrToStringUTF8(CudaRuntimeNative.cudaGetErrorName(error));
        string? text = Marshal.PtrToStringUTF8(CudaRuntimeNative.cudaGetErrorString(error));
        return $"{name ?? "cudaError"} ({(int)error}): {text ?? "no description"}";
    }
}
