using System.Runtime.InteropServices;
using System.Text;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A cuDNN call failed; the message carries the call, the status and cuDNN's last error message for this thread.</summary>
public sealed class CuDnnException : RnnBackendException
{
    internal CuDnnException(string call, int status, string description)
        : base("cudnn", ErrorCodeOf(status), status, $"{call} failed: {description}")
    {
        Call = call;
    }

    public string Call { get; }

    /// <summary>The cudnnStatus_t value (cuDNN 9 numbering: 2000 BAD_PARAM, 3000 NOT_SUPPORTED, ...).</summary>
    public int Status => NativeCode;

    /// <summary>cuDNN 9 groups its statuses by thousands: 2xxx bad parameter, 3xxx not supported, 4xxx internal, 5xxx execution.</summary>
    internal static RnnBackendErrorCode ErrorCodeOf(int status) => (status / 1000) switch
    {
        2 => RnnBackendErrorCode.InvalidArgument,
        3 => RnnBackendErrorCode.Unsupported,
        4 => RnnBackendErrorCode.Internal,
        _ => RnnBackendErrorCode.LibraryFailure,
    };

    internal static void Check(CuDnnStatus status, string call)
    {
        if (status != CuDnnStatus.Success) throw new CuDnnException(call, (int)status, Describe(status));
    }

    internal static string Describe(CuDnnStatus status)
    {
        string name = Marshal.PtrToStringUTF8(CuDnnNative.cudnnGetErrorString(status)) ?? status.ToString();
        string detail = LastErrorMessage();
        return detail.Length == 0 ? $"{name} ({(int)status})" : $"{name} ({(int)status}): {detail}";
    }

    private static unsafe string LastErrorMessage()
    {
        const int capacity = 1024;
        byte* buffer = stackalloc byte[capacity];
        buffer[0] = 0;
        try
        {
            CuDnnNative.cudnnGetLastErrorString(buffer, capacity);
        }
        catch (EntryPointNotFoundException)
        {
            // A cuDNN build without this entry point must not hide the original failure; the status name still says it.
            return "";
        }
        buffer[capacity - 1] = 0;
        return Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(buffer)).Trim();
    }
}
