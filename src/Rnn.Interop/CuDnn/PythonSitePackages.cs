namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Finds Python site-packages folders that hold NVIDIA's pip wheels (an nvidia/ folder): that is where
/// nvidia-cudnn-cu13, nvidia-cuda-runtime and nvidia-cublas put their libraries, with versioned names only.
/// </summary>
internal static class PythonSitePackages
{
    /// <summary>The lib/ folders whose python3*/{site,dist}-packages are scanned, as shown in messages.</summary>
    public static IReadOnlyList<string> DefaultLibRoots()
    {
        var roots = new List<string> { "/usr/lib", "/usr/local/lib" };
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0) roots.Add(Path.Combine(home, ".local", "lib"));
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
        {
            string? prefix = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(prefix)) roots.Add(Path.Combine(prefix, "lib"));
        }
        roots.Add("/opt/conda/lib");
        return roots;
    }

    /// <summary>Every &lt;root&gt;/python3*/{site,dist}-packages that contains an nvidia/ folder, newest Python first.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> libRoots)
    {
        var found = new List<string>();
        foreach (string root in libRoots)
        {
            string[] pythons;
            try
            {
                if (!Directory.Exists(root)) continue;
                pythons = Directory.GetDirectories(root, "python3*");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (string python in pythons.OrderByDescending(PythonMinorVersion))
            foreach (string packages in new[] { "site-packages", "dist-packages" })
            {
                string candidate = Path.Combine(python, packages);
                if (Directory.Exists(Path.Combine(candidate, "nvidia")) && !found.Contains(candidate)) found.Add(candidate);
            }
        }
        return found;
    }

    private static int PythonMinorVersion(string pythonDirectory)
    {
        string name = Path.GetFileName(pythonDirectory);
        return name.StartsWith("python3.", StringComparison.Ordinal) && int.TryParse(name["python3.".Length..], out int minor) ? minor : -1;
    }
}
