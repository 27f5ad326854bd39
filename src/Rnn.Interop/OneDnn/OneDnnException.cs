namespace RnnNative.Interop.OneDnn;

/// <summary>oneDNN or the shim failed on a request that passed validation; carries the shim's status and message.</summary>
public sealed class OneDnnException : InvalidOperationException
{
    internal OneDnnException(int status, string message) : base(message) => Status = status;

    /// <summary>The shim's rnn_status value (4: oneDNN error, 5: internal error).</summary>
    public int Status { get; }
}
