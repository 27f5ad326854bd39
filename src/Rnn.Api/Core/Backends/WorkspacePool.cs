namespace RnnNative;

/// <summary>
/// Per-call workspaces lent to one call at a time: the lock guards only the free list, never the compute. The pool
/// grows to the peak number of concurrent calls and keeps that many; taking and returning allocates nothing once warm.
/// </summary>
internal sealed class WorkspacePool<T>(Func<T> create) where T : class
{
    private readonly Stack<T> _free = new();
    private int _created;

    /// <summary>Workspaces made so far: the peak number of calls that ran at once.</summary>
    public int Created => Volatile.Read(ref _created);

    public T Take()
    {
        lock (_free)
            if (_free.TryPop(out var w)) return w;
        Interlocked.Increment(ref _created);
        return create();
    }

    public void Return(T workspace)
    {
        lock (_free) _free.Push(workspace);
    }
}
