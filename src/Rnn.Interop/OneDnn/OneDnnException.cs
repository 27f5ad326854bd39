namespace RnnNative.Interop.OneDnn;

/// <summary>oneDNN or the shim failed on a request that passed validation; carries the shim's status and message.</summary>
public sealed class OneDnnException : RnnBackendException
{
    internal OneDnnException(NativeStatus status, string message)
        : base("onednn", OneDnnStatusCheck.ErrorCodeOf(status), (int)status, message) { }

    /// <summary>The shim's rnn_status value (4: oneDNN error, 5: internal error).</summary>
    public int Status => NativeCode;
}
