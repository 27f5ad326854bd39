using System.Reflection;
using RnnNative.Managed;
using RnnNative.Extensibility;

namespace RnnNative;

/// <summary>
/// The backends present in this process and how to pick one by name or by speed. The managed reference is always
/// here; a backend package (RnnNative.OneDnn, RnnNative.CuDnn, ...) is found through its assembly's
/// <see cref="RnnBackendAttribute"/> when the application references it, so the core holds no list of backends and
/// probes nothing a package did not bring. <see cref="Register"/> adds a backend by hand.
/// </summary>
public static class RnnBackends
{
    private const string PackagePrefix = "RnnNative.";
    private static readonly object Gate = new();
    private static List<(IRnnBackend Backend, int Rank)>? _registered;

    /// <summary>Every backend present, fastest first; each probes its availability lazily.</summary>
    public static IReadOnlyList<IRnnBackend> All
    {
        get
        {
            lock (Gate)
            {
                _registered ??= Discover();
                return _registered.OrderByDescending(b => b.Rank).Select(b => b.Backend).ToArray();
            }
        }
    }

    public static IRnnBackend Managed => ManagedBackend.Instance;

    /// <summary>The fastest available backend that supports the precision.</summary>
    public static IRnnBackend Fastest(RnnPrecision precision = RnnPrecision.F32) =>
        All.FirstOrDefault(b => b.Availability.IsAvailable && b.Supports(precision))
        ?? throw new RnnBackendUnavailableException("any", $"no available backend supports {precision}.");

    /// <summary>
    /// The backend of that name. A backend comes with its package, so a name this process does not know is refused
    /// with the backends it has and, for the project's own backends, the package that brings the one asked for.
    /// </summary>
    public static IRnnBackend Get(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown backend '{name}'; expected one of: {string.Join(", ", All.Select(b => b.Name))}."
            + (PackageOf(name) is { } package ? $" The {name.ToLowerInvariant()} backend comes with the {package} package: add it (dotnet add package {package})." : ""), nameof(name));

    // Only for the message above: a backend package registers itself when referenced, so nothing here is needed to run one.
    private static string? PackageOf(string name) => name.ToLowerInvariant() switch
    {
        "onednn" => "RnnNative.OneDnn",
        "cudnn" => "RnnNative.CuDnn",
        _ => null,
    };

    /// <summary>Adds a backend that no referenced package declares (a name already present is refused).</summary>
    public static void Register(IRnnBackend backend, int speedRank)
    {
        ArgumentNullException.ThrowIfNull(backend);
        lock (Gate)
        {
            _registered ??= Discover();
            if (_registered.Any(b => string.Equals(b.Backend.Name, backend.Name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"A backend named '{backend.Name}' is already registered.", nameof(backend));
            _registered.Add((backend, speedRank));
        }
    }

    private static List<(IRnnBackend, int)> Discover()
    {
        var found = new List<(IRnnBackend Backend, int Rank)> { (ManagedBackend.Instance, 0) };
        foreach (var assembly in CandidateAssemblies())
            foreach (var declared in assembly.GetCustomAttributes<RnnBackendAttribute>())
            {
                var backend = Instantiate(declared);
                if (!found.Any(b => string.Equals(b.Backend.Name, backend.Name, StringComparison.OrdinalIgnoreCase)))
                    found.Add((backend, declared.SpeedRank));
            }
        return found;
    }

    /// <summary>
    /// The RnnNative assemblies already loaded, and those the host lists as part of the application (its
    /// trusted-platform assemblies: what the app's deps.json names, in every layout from <c>dotnet run</c> to a
    /// published folder), loaded by name. Only names with the package prefix are looked at.
    /// </summary>
    private static IEnumerable<Assembly> CandidateAssemblies()
    {
        var byName = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name is { } n && n.StartsWith(PackagePrefix, StringComparison.Ordinal))
            .ToDictionary(a => a.GetName().Name!, StringComparer.Ordinal);
        var listed = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && n.StartsWith(PackagePrefix, StringComparison.Ordinal) && !byName.ContainsKey(n));
        foreach (string name in listed.Distinct(StringComparer.Ordinal)!)
        {
            try { byName[name] = Assembly.Load(new AssemblyName(name)); }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException) { }
        }
        return byName.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value);
    }

    private static IRnnBackend Instantiate(RnnBackendAttribute declared)
    {
        var property = declared.BackendType.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static);
        return property?.GetValue(null) as IRnnBackend
            ?? throw new InvalidOperationException(
                $"{declared.BackendType.FullName} is declared as an RnnNative backend but has no public static Instance property returning an {nameof(IRnnBackend)}.");
    }
}
