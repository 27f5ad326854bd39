using System.Runtime.InteropServices;
using System.Text;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Turns a failed cuDNN call into the matching <see cref="RnnBackendException"/>; the message carries the call, the
/// status and cuDNN's last error message for this thread.
/// </summary>
internal static class CuDnnStatusCheck
{
    internal static void Check(CuDnnStatus status, string call)
    {
        if (status != CuDnnStatus.Success) throw ToException(call, (int)status, Describe(status));
    }

    internal static RnnBackendException ToException(string call, int status, string description) =>
        RnnBackendException.Create("cudnn", ErrorCodeOf(status), status, $"{call} failed: {description}");

    /// <summary>
    /// cuDNN 9 groups its statuses by thousands: 2xxx bad parameter, 3xxx not supported, 4xxx internal, 5xxx execution;
    /// the two allocation failures inside the internal group are out-of-memory.
    /// </summary>
    internal static RnnBackendErrorCode ErrorCodeOf(int status) => status switch
    {
        (int)CuDnnStatus.InternalErrorHostAllocationFailed or (int)CuDnnStatus.InternalErrorDeviceAllocationFailed => RnnBackendErrorCode.OutOfMemory,
        >= 2000 and < 3000 => RnnBackendErrorCode.InvalidArgument,
        >= 3000 and < 4000 => RnnBackendErrorCode.Unsupported,
        >= 4000 and < 5000 => RnnBackendErrorCode.Internal,
        _ => RnnBackendErrorCode.LibraryFailure,
    };

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
