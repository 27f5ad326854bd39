namespace RnnNative.Bench.Limits;

/// <summary>
/// Finds the file of a shared library this process has already loaded (from /proc/self/maps), so that a probe calls
/// exactly the copy our backend runs on, wherever the runtime package or the build put it.
/// </summary>
public static class LoadedLibrary
{
    /// <summary>The full path of the loaded library whose file name starts with <paramref name="soname"/> (e.g. libdnnl.so.2), or null.</summary>
    public static string? Find(string soname)
    {
        ArgumentException.ThrowIfNullOrEmpty(soname);
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            string path = line[slash..].Trim();
            if (Path.GetFileName(path).StartsWith(soname, StringComparison.Ordinal)) return path;
        }
        return null;
    }
}
