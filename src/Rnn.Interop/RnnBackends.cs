using RnnNative.Interop.CuDnn;
using RnnNative.Interop.OneDnn;
using RnnNative.Managed;

namespace RnnNative.Interop;

/// <summary>Every backend this build knows, and how to pick one by name or by speed.</summary>
public static class RnnBackends
{
    /// <summary>All backends, fastest first; availability is probed lazily by each backend.</summary>
    public static IReadOnlyList<IRnnBackend> All { get; } = [CuDnnBackend.Instance, OneDnnBackend.Instance, ManagedBackend.Instance];

    public static IRnnBackend Managed => ManagedBackend.Instance;

    /// <summary>The fastest available backend that supports the precision.</summary>
    public static IRnnBackend Fastest(RnnPrecision precision = RnnPrecision.F32) =>
        All.FirstOrDefault(b => b.Availability.IsAvailable && b.Supports(precision))
        ?? throw new RnnBackendUnavailableException("any", $"no available backend supports {precision}.");

    public static IRnnBackend Get(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown backend '{name}'; expected one of: {string.Join(", ", All.Select(b => b.Name))}.", nameof(name));
}
