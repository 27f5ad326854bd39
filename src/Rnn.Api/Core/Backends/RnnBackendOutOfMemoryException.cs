namespace RnnNative;

/// <summary>The native library or the device ran out of memory; smaller batches, shorter sequences or fewer concurrent calls need less.</summary>
public sealed class RnnBackendOutOfMemoryException : RnnBackendException
{
    public RnnBackendOutOfMemoryException(string backend, int nativeCode, string message, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.OutOfMemory, nativeCode, message, inner) { }
}
