using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RnnNative.Interop;

/// <summary>
/// The one DllImport resolver of this assembly (.NET allows a single resolver per assembly). Each native binding
/// registers a loader for the library name its [LibraryImport] declarations use; names nobody registered fall back to
/// the runtime's default probing.
/// </summary>
internal static class InteropLibraryResolver
{
    private static readonly ConcurrentDictionary<string, Func<IntPtr>> Loaders = new(StringComparer.Ordinal);
    private static int _installed;

    /// <summary>
    /// Routes [LibraryImport(<paramref name="libraryName"/>)] to <paramref name="loader"/>, which returns a handle from
    /// <see cref="NativeLibrary"/> or <see cref="IntPtr.Zero"/> to let the runtime probe by itself.
    /// Call it before the first call into the library, e.g. from the binding class's static constructor.
    /// </summary>
    public static void Register(string libraryName, Func<IntPtr> loader)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryName);
        ArgumentNullException.ThrowIfNull(loader);
        if (!Loaders.TryAdd(libraryName, loader))
            throw new InvalidOperationException($"A loader for the native library '{libraryName}' is already registered.");
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(InteropLibraryResolver).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Loaders.TryGetValue(libraryName, out var loader) ? loader() : IntPtr.Zero;
}
