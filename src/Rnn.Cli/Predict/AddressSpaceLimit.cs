using System.Globalization;
using System.Runtime.InteropServices;

namespace RnnNative.Cli.Predict;

/// <summary>
/// oneDNN under an address-space limit (<c>ulimit -v</c>, as HPC sites set). The .NET GC reserves half the limit for
/// its regions, and another fifth of it appears beside them, before any code of ours runs; glibc then gives each
/// thread that allocates its own malloc arena of 64 MiB of address space; what is left may be too little for oneDNN to map its
/// JIT code and its threads' stacks, and oneDNN then crashes inside primitive creation (a segmentation fault, not an
/// error). The GC's share cannot be changed once the runtime is up, and a fixed GC region range in the runtime
/// configuration would cap the managed heap of every run (the range is where all of the heap lives) or, set larger
/// than a limit, stop the runtime from starting under it. The arenas can be bounded from here: under a limit glibc is
/// told to keep two, which leaves oneDNN room enough under a 3 GB limit with a few threads. The room left is then
/// compared with what oneDNN needs for the threads asked for, and a run without enough is refused in one line that
/// says how to bound the GC's reservation instead (DOTNET_GCRegionRange, read when the runtime starts).
/// </summary>
internal static partial class AddressSpaceLimit
{
    private const long MiB = 1 << 20;

    /// <summary>
    /// Room oneDNN needs besides what the process has reserved when the check runs: the library, its JIT code and
    /// scratchpads, plus a stack and some working memory for each of its threads. Set with a margin above the room at
    /// which runs began to crash (docs/batch-inference.md gives the measurements).
    /// </summary>
    private const long BaseRoom = 208 * MiB;

    private const long RoomPerThreadBesidesItsStack = 8 * MiB;

    public static void PrepareForOneDnn(string backend, int threads, int workers)
    {
        if (backend != "onednn" || !OperatingSystem.IsLinux()) return;
        if (Limit("Max address space") is not { } limit) return;
        BoundMallocArenas();
        if (Environment.GetEnvironmentVariable("DOTNET_GCRegionRange") is { Length: > 0 } || Environment.GetEnvironmentVariable("COMPlus_GCRegionRange") is { Length: > 0 }) return;
        long oneDnnThreads = Math.Max(1, workers) * (long)(threads > 0 ? threads : Environment.ProcessorCount);
        // glibc gives a thread the soft stack limit as its stack (32 MiB when there is none).
        long stack = Limit("Max stack size") ?? 32 * MiB;
        long needed = BaseRoom + oneDnnThreads * (stack + RoomPerThreadBesidesItsStack);
        long left = limit - ReservedBytes();
        if (left >= needed) return;
        throw new CliUsageException($"--backend onednn under an address-space limit ({limit / MiB} MiB, ulimit -v): the .NET GC has reserved its share when the runtime started, " +
            $"leaving {Math.Max(0, left) / MiB} MiB, and oneDNN needs about {needed / MiB} MiB with {oneDnnThreads} threads, or it crashes: set DOTNET_GCRegionRange to at most " +
            "half the limit (e.g. DOTNET_GCRegionRange=0x40000000 for 1 GiB), raise the limit, use fewer --threads, or use --backend managed.");
    }

    /// <summary>
    /// At most two malloc arenas from now on (M_ARENA_MAX). Arenas made so far stay; each later thread shares one
    /// instead of reserving 64 MiB of its own. A C library without mallopt (not glibc) keeps its own way.
    /// </summary>
    private static void BoundMallocArenas()
    {
        const int ArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h
        try { _ = MallOpt(ArenaMax, 2); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    /// <summary>The address space this process has reserved (VmSize), in bytes.</summary>
    private static long ReservedBytes()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmSize:", StringComparison.Ordinal));
        string[] fields = line?["VmSize:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : 0;
    }

    /// <summary>A soft limit of /proc/self/limits in bytes, or null when there is none.</summary>
    private static long? Limit(string name)
    {
        const string Limits = "/proc/self/limits";
        if (!File.Exists(Limits)) return null;
        string? line = File.ReadLines(Limits).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        string[] fields = line?[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft) ? soft : null;
    }
}
