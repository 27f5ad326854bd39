namespace RnnNative.Interop.CuDnn;

/// <summary>The NVIDIA libraries the cuDNN backend needs, each found by <see cref="CudaLibraryLocator"/>.</summary>
internal enum CudaLibraryRole
{
    /// <summary>libcudart.so.13, else .so.12.</summary>
    CudaRuntime,
    /// <summary>libcudnn.so.9 and its sub-libraries.</summary>
    CuDnn,
    /// <summary>libcublasLt, which cuDNN's RNN code dlopens at run time.</summary>
    CublasLt,
    /// <summary>libcuda.so.1, installed with the driver; only used for the device name.</summary>
    CudaDriver,
}
