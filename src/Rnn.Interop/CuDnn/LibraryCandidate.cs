namespace RnnNative.Interop.CuDnn;

/// <summary>One place to try a library: an absolute path, or a bare file name handed to the system loader.</summary>
internal readonly record struct LibraryCandidate(string Path, string Origin)
{
    public bool ViaSystemLoader => !System.IO.Path.IsPathRooted(Path);

    public override string ToString() => ViaSystemLoader ? $"{Path} via the system loader ({Origin})" : $"{Path} ({Origin})";
}
