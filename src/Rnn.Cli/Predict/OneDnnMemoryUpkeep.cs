using RnnNative.Interop.OneDnn;

namespace RnnNative.Cli.Predict;

/// <summary>
/// What keeps <c>rnn predict</c>'s peak memory bounded on the oneDNN backend, where a run meets thousands of batch
/// shapes (every window ends in batches of odd sizes) and each shape's primitive holds a few hundred KiB of JIT code.
/// The executors bound their own caches; this bounds oneDNN's process-wide cache the same way at the start (unless
/// ONEDNN_PRIMITIVE_CACHE_CAPACITY chose it) and hands the heap's freed pages back to the OS after each window, where
/// glibc would otherwise keep the memory of dropped primitives resident.
/// </summary>
internal sealed class OneDnnMemoryUpkeep
{
    private OneDnnMemoryUpkeep() { }

    /// <summary>The upkeep for a run on this backend and precision; null when it does not run on oneDNN.</summary>
    public static OneDnnMemoryUpkeep? Start(IRnnBackend backend, RnnPrecision precision)
    {
        if (backend is not OneDnnBackend { Availability.IsAvailable: true }) return null;
        bool userChose = Environment.GetEnvironmentVariable("ONEDNN_PRIMITIVE_CACHE_CAPACITY") is not null ||
                         Environment.GetEnvironmentVariable("DNNL_PRIMITIVE_CACHE_CAPACITY") is not null;
        // The executors' own default bounds (RnnExecutorOptions.PrimitiveCacheCapacity): enough for oneDNN to hand back
        // a recently dropped shape without compiling it again, no more.
        if (!userChose) OneDnnRuntime.SetPrimitiveCacheCapacity(precision == RnnPrecision.Int8 ? 128 : 32);
        return new OneDnnMemoryUpkeep();
    }

    /// <summary>After a window's results are committed (a few thousand records, some hundred evicted primitives).</summary>
    public void WindowDone() => OneDnnRuntime.ReleaseFreedMemory();
}
