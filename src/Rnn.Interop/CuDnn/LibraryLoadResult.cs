namespace RnnNative.Interop.CuDnn;

/// <summary>The outcome of looking for one NVIDIA library: its handle and path, or what was tried and why it failed.</summary>
internal sealed record LibraryLoadResult(CudaLibraryRole Role, IntPtr Handle, string? LoadedFrom, string Failure, IReadOnlyList<string> Warnings)
{
    public bool IsLoaded => Handle != IntPtr.Zero;

    /// <summary>The folder the library came from, when it was loaded by absolute path.</summary>
    public string? Directory => LoadedFrom is not null && Path.IsPathRooted(LoadedFrom) ? Path.GetDirectoryName(LoadedFrom) : null;
}
