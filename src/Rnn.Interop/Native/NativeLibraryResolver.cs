using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RnnNative.Interop.Native;

/// <summary>
/// The one DllImport resolver this assembly may have (the runtime allows a single one per assembly): each native
/// library registers its own loader here by the name its imports use, so several backends can share the assembly.
/// </summary>
internal static class NativeLibraryResolver
{
    private static readonly ConcurrentDictionary<string, Func<IntPtr>> Loaders = new(StringComparer.Ordinal);
    private static int _installed;

    /// <summary>Routes imports of <paramref name="libraryName"/> to <paramref name="loader"/>, which returns a handle or throws.</summary>
    public static void Register(string libraryName, Func<IntPtr> loader)
    {
        Loaders[libraryName] = loader;
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Loaders.TryGetValue(libraryName, out var loader) ? loader() : IntPtr.Zero;
}
