using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Finds and loads the CUDA runtime, cuBLASLt, cuDNN 9 and the driver library once per process, and tells
/// <see cref="InteropLibraryResolver"/> where they are. cuDNN's shim dlopens its sub-libraries by soname, which only
/// works when their folder is on the loader path; so when cuDNN comes from an absolute path (a pip wheel) its
/// sub-libraries are preloaded from that folder, after which glibc satisfies cuDNN's own dlopen by soname.
/// </summary>
internal sealed class CudaLibraryLocator
{
    /// <summary>Without these three the RNN API cannot run; the other sub-libraries are loaded when present.</summary>
    public static IReadOnlyList<string> RequiredCuDnnSubLibraries { get; } = ["libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_adv.so.9"];

    /// <summary>Dependencies before dependants (graph first, adv after ops); unknown future ones follow.</summary>
    public static IReadOnlyList<string> KnownCuDnnSubLibraries { get; } =
    [
        "libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9",
        "libcudnn_engines_tensor_ir.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
        "libcudnn_adv.so.9", "libcudnn_ext.so.9",
    ];

    private static readonly Lazy<CudaLibraryLocator> SharedLocator = new(() => new CudaLibraryLocator(CudaSearchLocations.FromEnvironment()));

    private readonly ConcurrentDictionary<CudaLibraryRole, Lazy<LibraryLoadResult>> _results = new();

    public CudaLibraryLocator(CudaSearchLocations locations) => Locations = locations;

    /// <summary>The process-wide locator, reading the environment once.</summary>
    public static CudaLibraryLocator Shared => SharedLocator.Value;

    public CudaSearchLocations Locations { get; }

    /// <summary>Loads a library (once; later calls return the same result). Never throws for a missing library.</summary>
    public LibraryLoadResult Load(CudaLibraryRole role) =>
        _results.GetOrAdd(role, r => new Lazy<LibraryLoadResult>(() => LoadCore(r))).Value;

    private LibraryLoadResult LoadCore(CudaLibraryRole role)
    {
        var warnings = new List<string>();
        string? companion = null;
        if (role == CudaLibraryRole.CublasLt) companion = Load(CudaLibraryRole.CudaRuntime).Directory;
        if (role == CudaLibraryRole.CuDnn)
        {
            // cuDNN's RNN kernels dlopen cuBLASLt at run time; having it loaded already makes that dlopen succeed.
            var cublasLt = Load(CudaLibraryRole.CublasLt);
            if (!cublasLt.IsLoaded) warnings.Add($"cuBLASLt, which cuDNN's RNN code needs at run time, was not preloaded: {cublasLt.Failure}");
        }

        var tried = new List<string>();
        foreach (var candidate in Locations.CandidatesFor(role, companion))
        {
            if (!candidate.ViaSystemLoader && !File.Exists(candidate.Path))
            {
                tried.Add($"{candidate.Path} (absent)");
                continue;
            }
            if (!TryLoad(candidate.Path, out var handle, out string error))
            {
                tried.Add($"{candidate}: {error}");
                continue;
            }
            if (role == CudaLibraryRole.CuDnn && !candidate.ViaSystemLoader)
            {
                string? subLibraryFailure = PreloadCuDnnSubLibraries(Path.GetDirectoryName(candidate.Path)!, warnings);
                if (subLibraryFailure is not null)
                {
                    tried.Add($"{candidate}: loaded, but {subLibraryFailure}");
                    continue;
                }
            }
            return new LibraryLoadResult(role, handle, candidate.Path, "", warnings);
        }
        return new LibraryLoadResult(role, IntPtr.Zero, null, DescribeFailure(role, tried), warnings);
    }

    /// <summary>Loads every libcudnn_*.so.9 beside the shim; returns why a required one failed, or null.</summary>
    private static string? PreloadCuDnnSubLibraries(string directory, List<string> warnings)
    {
        var pending = KnownCuDnnSubLibraries
            .Concat(SafeGetFiles(directory, "libcudnn_*.so.9").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
            .Distinct()
            .Where(name => File.Exists(Path.Combine(directory, name)))
            .ToList();
        var errors = new Dictionary<string, string>();
        // Repeat while progress is made, so an unexpected dependency order still resolves.
        bool progress = true;
        while (pending.Count > 0 && progress)
        {
            progress = false;
            foreach (string name in pending.ToList())
            {
                if (TryLoad(Path.Combine(directory, name), out _, out string error))
                {
                    pending.Remove(name);
                    errors.Remove(name);
                    progress = true;
                }
                else
                {
                    errors[name] = error;
                }
            }
        }

        foreach (string required in RequiredCuDnnSubLibraries)
        {
            if (!File.Exists(Path.Combine(directory, required))) return $"{required} is missing from {directory}";
            if (errors.TryGetValue(required, out string? error)) return $"{required} failed to load: {error}";
        }
        foreach (var (name, error) in errors) warnings.Add($"optional cuDNN sub-library {name} did not load: {error}");
        return null;
    }

    private string DescribeFailure(CudaLibraryRole role, List<string> tried)
    {
        string names = string.Join(" / ", CudaSearchLocations.FileNames(role));
        var notes = new List<string>();
        if (Locations.OverrideFor(role) is (var variable, null)) notes.Add($"${variable} is not set");
        if (CudaSearchLocations.PipFolders(role).Count > 0 && Locations.SitePackages.Count == 0)
            notes.Add("no Python site-packages with an nvidia/ folder under " + string.Join(", ", Locations.ScannedLibRoots.Select(r => r + "/python3*")));
        string noteText = notes.Count == 0 ? "" : "; " + string.Join("; ", notes);
        bool onlyAbsent = tried.TrueForAll(t => t.EndsWith(" (absent)", StringComparison.Ordinal) || t.EndsWith(": not found", StringComparison.Ordinal));
        return $"{names} {(onlyAbsent ? "not found" : "could not be loaded")} (tried: {string.Join("; ", tried)}){noteText}";
    }

    private static bool TryLoad(string path, out IntPtr handle, out string error)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            handle = IntPtr.Zero;
            error = ShortLoadError(path, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// The dlerror part of the runtime's long "Unable to load shared library ..." message; "not found" when the library
    /// itself is absent (a missing dependency keeps its full text, which names the dependency).
    /// </summary>
    internal static string ShortLoadError(string path, string message)
    {
        const string marker = "environment variable:";
        int at = message.LastIndexOf(marker, StringComparison.Ordinal);
        string text = at >= 0 ? message[(at + marker.Length)..] : message;
        text = text.ReplaceLineEndings(" ").Trim();
        return text == $"{path}: cannot open shared object file: No such file or directory" ? "not found" : text;
    }

    private static string[] SafeGetFiles(string directory, string pattern)
    {
        try
        {
            return Directory.GetFiles(directory, pattern);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
