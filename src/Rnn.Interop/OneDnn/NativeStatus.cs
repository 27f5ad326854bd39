namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_status of librnnshim (native/include/rnnshim.h).</summary>
internal enum NativeStatus
{
    Ok = 0,
    InvalidArgument = 1,
    Unsupported = 2,
    OutOfMemory = 3,
    BackendError = 4,
    InternalError = 5,
}
