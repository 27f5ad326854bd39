using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>
/// Finds and loads librnnshim.so: the path in RNNNATIVE_SHIM_PATH (a file or a folder) when set, else beside this
/// assembly or the application, under runtimes/{rid}/native/ there, in the native folders the host lists for the app's
/// packages (NATIVE_DLL_SEARCH_DIRECTORIES), else the system's library search path. The shim's RUNPATH ($ORIGIN) then
/// loads the oneDNN, OpenMP and OpenCL libraries that sit beside it, OpenMP with passive waiting unless the user chose
/// (<see cref="OpenMpWaitPolicy"/>). A failure names the file and the missing dependency, and how to install it.
/// </summary>
internal static class OneDnnShimLibrary
{
    public const string ImportName = "rnnshim";
    public const string FileName = "librnnshim.so";
    public const string OverrideVariable = "RNNNATIVE_SHIM_PATH";

    private static readonly Lazy<ShimLoadResult> Loaded = new(() =>
    {
        OpenMpWaitPolicy.PreferPassive(); // read by libgomp when the shim brings it in
        return Load(Environment.GetEnvironmentVariable(OverrideVariable), ProbeDirectories());
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    // Routes the [LibraryImport]s of OneDnnNative to the loaded shim; a static constructor registers exactly once.
    static OneDnnShimLibrary() =>
        InteropLibraryResolver.Register(ImportName, () => Loaded.Value.IsLoaded ? Loaded.Value.Handle : throw new DllNotFoundException(Loaded.Value.Error));

    /// <summary>Loads the shim once per process.</summary>
    public static ShimLoadResult Ensure() => Loaded.Value;

    public static string RuntimeIdentifier =>
        $"{(OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux")}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";

    private static IReadOnlyList<string> ProbeDirectories()
    {
        var roots = new List<string>();
        if (Path.GetDirectoryName(typeof(OneDnnShimLibrary).Assembly.Location) is { Length: > 0 } assemblyDir) roots.Add(assemblyDir);
        roots.Add(AppContext.BaseDirectory);
        var hostNative = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return roots.SelectMany(r => new[] { r, Path.Combine(r, "runtimes", RuntimeIdentifier, "native") })
            .Concat(hostNative)
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Tries the override (exclusively, when given), then each directory, then the bare file name (system search,
    /// which also finds a copy this process already loaded).
    /// </summary>
    internal static ShimLoadResult Load(string? overridePath, IReadOnlyList<string> directories, bool searchSystemPath = true)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            string path = Directory.Exists(overridePath) ? Path.Combine(overridePath, FileName) : overridePath;
            if (!File.Exists(path))
                return new(IntPtr.Zero, null, $"{OverrideVariable} is set to '{overridePath}', but {path} does not exist. Unset it or point it at {FileName} (./build.sh build puts it in build/native/lib).");
            return TryLoad(path, out var handle, out var reason)
                ? new(handle, path, null)
                : new(IntPtr.Zero, path, $"{OverrideVariable} points at {path}, which could not be loaded: {Explain(reason)}");
        }

        foreach (string dir in directories)
        {
            string path = Path.Combine(dir, FileName);
            if (!File.Exists(path)) continue;
            // The file is there: if it does not load, its own failure (usually a missing dependency) is the answer.
            return TryLoad(path, out var handle, out var reason)
                ? new(handle, path, null)
                : new(IntPtr.Zero, path, $"{path} could not be loaded: {Explain(reason)}");
        }

        if (searchSystemPath && TryLoad(FileName, out var systemHandle, out _)) return new(systemHandle, FileName, null);
        return new(IntPtr.Zero, null,
            $"{FileName} was not found in {string.Join(", ", directories)} nor on the system library path. " +
            $"Build it with ./build.sh build (CMake; needs apt-get install libdnnl-dev ocl-icd-opencl-dev), or set {OverrideVariable} to its path.");
    }

    private static bool TryLoad(string path, out IntPtr handle, out string reason)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            reason = "";
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            handle = IntPtr.Zero;
            reason = e.Message;
            return false;
        }
    }

    /// <summary>Adds which package provides a missing dependency, when the loader's message names one we know.</summary>
    internal static string Explain(string loaderMessage)
    {
        (string Library, string Package)[] known =
        [
            ("libdnnl.so", "libdnnl2 (oneDNN)"),
            ("libgomp.so", "libgomp1 (OpenMP runtime)"),
            ("libOpenCL.so", "ocl-icd-libopencl1 (needed by Debian's oneDNN build)"),
            ("libstdc++.so", "libstdc++6"),
        ];
        foreach (var (library, package) in known)
            if (loaderMessage.Contains(library, StringComparison.Ordinal))
                return $"{loaderMessage.Trim()} — the dependency {library}* is missing: install it with `apt-get install {package.Split(' ')[0]}` ({package}).";
        return loaderMessage.Trim();
    }
}
