using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A CUDA runtime call failed; the message carries the call, the error name and the runtime's description.</summary>
public sealed class CudaException : InvalidOperationException
{
    internal CudaException(string call, int code, string description)
        : base($"{call} failed: {description}")
    {
        Call = call;
        Code = code;
    }

    public string Call { get; }
    public int Code { get; }

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
