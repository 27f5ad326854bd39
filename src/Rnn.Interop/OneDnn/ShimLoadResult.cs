namespace RnnNative.Interop.OneDnn;

/// <summary>The outcome of looking for librnnshim.so: a loaded handle and where it came from, or why none loaded.</summary>
internal sealed record ShimLoadResult(IntPtr Handle, string? Path, string? Error)
{
    public bool IsLoaded => Handle != IntPtr.Zero;
}
