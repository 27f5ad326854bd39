using System.Diagnostics.CodeAnalysis;

namespace RnnNative.Extensibility;

/// <summary>
/// Declares, on a backend package's assembly, the backend it provides, so that <see cref="RnnBackends"/> finds it when
/// the package is referenced: <c>[assembly: RnnBackend(typeof(OneDnnBackend), speedRank: 10)]</c>. The type must
/// implement <see cref="IRnnBackend"/> and expose its one instance as a public static <c>Instance</c> property.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RnnBackendAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type backendType, int speedRank) : Attribute
{
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public Type BackendType { get; } = backendType;

    /// <summary>Orders backends for <see cref="RnnBackends.Fastest"/>: higher is tried first (managed is 0).</summary>
    public int SpeedRank { get; } = speedRank;
}
