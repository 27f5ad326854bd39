namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Where the NVIDIA libraries are looked for, in order: the override variable, a companion library's folder, the
/// system loader (LD_LIBRARY_PATH, ld.so.cache), the CUDA toolkit folder, then pip wheels in Python site-packages.
/// Newer sonames come first across all places, so a pip libcudart.so.13 beats a system libcudart.so.12.
/// </summary>
internal sealed record CudaSearchLocations(
    string? CudaOverride,
    string? CuDnnOverride,
    IReadOnlyList<string> SitePackages,
    IReadOnlyList<string> ScannedLibRoots,
    IReadOnlyList<string> SystemDirectories)
{
    public const string CudaOverrideVariable = "RNNNATIVE_CUDA_PATH";
    public const string CuDnnOverrideVariable = "RNNNATIVE_CUDNN_PATH";

    public static IReadOnlyList<string> DefaultSystemDirectories { get; } = ["/usr/local/cuda/lib64"];

    public static CudaSearchLocations FromEnvironment()
    {
        var roots = PythonSitePackages.DefaultLibRoots();
        return new CudaSearchLocations(
            NullIfBlank(Environment.GetEnvironmentVariable(CudaOverrideVariable)),
            NullIfBlank(Environment.GetEnvironmentVariable(CuDnnOverrideVariable)),
            PythonSitePackages.Find(roots),
            roots,
            DefaultSystemDirectories);
    }

    /// <summary>Sonames in order of preference.</summary>
    public static IReadOnlyList<string> FileNames(CudaLibraryRole role) => role switch
    {
        CudaLibraryRole.CudaRuntime => ["libcudart.so.13", "libcudart.so.12"],
        CudaLibraryRole.CuDnn => ["libcudnn.so.9"],
        CudaLibraryRole.CublasLt => ["libcublasLt.so.13", "libcublasLt.so.12"],
        CudaLibraryRole.CudaDriver => ["libcuda.so.1"],
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Folders of the pip wheels, relative to site-packages (CUDA 13 wheels share nvidia/cu13/lib).</summary>
    public static IReadOnlyList<string> PipFolders(CudaLibraryRole role) => role switch
    {
        CudaLibraryRole.CudaRuntime => ["nvidia/cu13/lib", "nvidia/cuda_runtime/lib"],
        CudaLibraryRole.CuDnn => ["nvidia/cudnn/lib"],
        CudaLibraryRole.CublasLt => ["nvidia/cu13/lib", "nvidia/cublas/lib"],
        _ => [],
    };

    /// <summary>The override variable that applies to a library, and its value.</summary>
    public (string Variable, string? Value)? OverrideFor(CudaLibraryRole role) => role switch
    {
        CudaLibraryRole.CuDnn => (CuDnnOverrideVariable, CuDnnOverride),
        CudaLibraryRole.CudaRuntime or CudaLibraryRole.CublasLt => (CudaOverrideVariable, CudaOverride),
        _ => null,
    };

    /// <summary>
    /// Every candidate for <paramref name="role"/> in the order they are tried. An override may name a folder or the
    /// library file itself; a file only stands for the library it names, its folder for the companions.
    /// <paramref name="companionDirectory"/> is where a related library was found (cuBLASLt next to libcudart).
    /// </summary>
    public IReadOnlyList<LibraryCandidate> CandidatesFor(CudaLibraryRole role, string? companionDirectory = null)
    {
        var candidates = new List<LibraryCandidate>();
        void Add(string path, string origin)
        {
            if (!candidates.Exists(c => c.Path == path)) candidates.Add(new LibraryCandidate(path, origin));
        }

        var names = FileNames(role);
        string? overrideDirectory = null;
        if (OverrideFor(role) is (var variable, { } value))
        {
            if (NamesLibraryFile(value))
            {
                if (IsFileOf(role, value)) Add(value, "$" + variable);
                overrideDirectory = Path.GetDirectoryName(value);
            }
            else
            {
                overrideDirectory = value;
            }
        }

        foreach (string name in names)
        {
            if (overrideDirectory is not null) Add(Path.Combine(overrideDirectory, name), "$" + OverrideFor(role)!.Value.Variable);
            if (companionDirectory is not null) Add(Path.Combine(companionDirectory, name), "beside the CUDA runtime");
            Add(name, "LD_LIBRARY_PATH, ld.so.cache");
            if (role == CudaLibraryRole.CudaDriver) continue;
            foreach (string dir in SystemDirectories) Add(Path.Combine(dir, name), "CUDA toolkit");
            foreach (string sitePackages in SitePackages)
            foreach (string folder in PipFolders(role))
                Add(Path.Combine(sitePackages, folder, name), "pip wheel");
        }
        return candidates;
    }

    /// <summary>A path whose file name looks like a shared library is a file; anything else is a folder.</summary>
    public static bool NamesLibraryFile(string path)
    {
        string name = Path.GetFileName(path.TrimEnd('/'));
        return name.StartsWith("lib", StringComparison.Ordinal) && name.Contains(".so", StringComparison.Ordinal);
    }

    private static bool IsFileOf(CudaLibraryRole role, string path)
    {
        string stem = FileNames(role)[0];
        stem = stem[..(stem.IndexOf(".so", StringComparison.Ordinal) + ".so".Length)];
        return Path.GetFileName(path).StartsWith(stem, StringComparison.Ordinal);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
