namespace RnnNative;

/// <summary>What kind of failure a backend reported, the same across backends (each maps its native codes here).</summary>
public enum RnnBackendErrorCode
{
    /// <summary>The native library refused an argument that passed managed validation: a bug in this library.</summary>
    InvalidArgument,
    /// <summary>A valid request this build, CPU or GPU cannot run.</summary>
    Unsupported,
    OutOfMemory,
    /// <summary>The underlying library (oneDNN, cuDNN) failed.</summary>
    LibraryFailure,
    /// <summary>The CUDA runtime or the device failed.</summary>
    DeviceFailure,
    /// <summary>A bug in the native layer.</summary>
    Internal,
    /// <summary>The backend cannot run here at all, or not at the requested precision (its library is missing, no GPU).</summary>
    Unavailable,
}
