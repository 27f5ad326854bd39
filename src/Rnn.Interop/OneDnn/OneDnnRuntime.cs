namespace RnnNative.Interop.OneDnn;

/// <summary>
/// Process-wide choices for the oneDNN backend. No executor makes them on its own: they reach every executor and
/// everything else in the process that uses oneDNN or the C heap, so the application decides, typically once at start
/// (the cache bound) or at a quiet point of a long run (the memory release). <c>rnn predict</c> does both.
/// </summary>
public static class OneDnnRuntime
{
    /// <summary>
    /// The number of primitives oneDNN keeps in its own process-wide cache (oneDNN's default is 1024, or the
    /// <c>ONEDNN_PRIMITIVE_CACHE_CAPACITY</c> environment variable). Besides each executor's bounded cache
    /// (<see cref="RnnExecutorOptions.PrimitiveCacheCapacity"/>), oneDNN keeps every primitive it creates here, so a
    /// primitive an executor dropped stays alive until it leaves this cache too. A long run that meets thousands of
    /// batch shapes (varied batch sizes and lengths) bounds its memory by setting this near the executors' bound (e.g.
    /// 32, or 128 with int8) before it starts; a few fixed shapes need nothing. 0 turns oneDNN's cache off (every
    /// executor still keeps its own).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A capacity below 0 or above 1,048,576.</exception>
    /// <exception cref="RnnBackendUnavailableException">The oneDNN backend is not available (see <see cref="OneDnnBackend.Availability"/>).</exception>
    public static int PrimitiveCacheCapacity
    {
        get
        {
            EnsureAvailable();
            OneDnnStatusCheck.Ensure(OneDnnNative.RuntimePrimitiveCacheCapacity(out int capacity));
            return capacity;
        }
    }

    /// <summary>The largest capacity <see cref="SetPrimitiveCacheCapacity"/> takes.</summary>
    public const int MaxPrimitiveCacheCapacity = 1 << 20;

    /// <summary>Sets <see cref="PrimitiveCacheCapacity"/>: oneDNN's process-wide primitive cache.</summary>
    /// <inheritdoc cref="PrimitiveCacheCapacity" path="/exception"/>
    public static void SetPrimitiveCacheCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxPrimitiveCacheCapacity);
        EnsureAvailable();
        OneDnnStatusCheck.Ensure(OneDnnNative.RuntimeSetPrimitiveCacheCapacity(capacity));
    }

    /// <summary>
    /// Hands the native heap's free pages back to the operating system (glibc's <c>malloc_trim</c>; elsewhere it does
    /// nothing). A primitive dropped from a cache frees a few hundred KiB amid live allocations, which glibc keeps
    /// resident, so over a long run of varied batch shapes the process's resident memory grows though the caches do not.
    /// Call it now and then in such a run, e.g. once per few thousand records or after each window of a batch job; not
    /// after every call: it walks the whole heap, and the pages it returns are faulted back in when reused. Safe while
    /// other threads run calls.
    /// </summary>
    /// <exception cref="RnnBackendUnavailableException">The oneDNN backend is not available.</exception>
    public static void ReleaseFreedMemory()
    {
        EnsureAvailable();
        OneDnnStatusCheck.Ensure(OneDnnNative.RuntimeReleaseFreeMemory());
    }

    private static void EnsureAvailable()
    {
        var availability = OneDnnBackend.Instance.Availability;
        if (!availability.IsAvailable) throw new RnnBackendUnavailableException(OneDnnBackend.Instance.Name, availability.Reason);
    }
}
