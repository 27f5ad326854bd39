namespace RnnNative;

/// <summary>The CUDA runtime or the device failed.</summary>
public sealed class RnnBackendDeviceException : RnnBackendException
{
    public RnnBackendDeviceException(string backend, int nativeCode, string message, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.DeviceFailure, nativeCode, message, inner) { }
}
