namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Per-call workspaces that an executor owns and lends to one call at a time. The lock guards only the free list,
/// never the work: a call takes a workspace, runs on it alone, and returns it. The pool grows to the peak number of
/// concurrent calls and keeps that many, so a steady state creates nothing. Disposing the pool disposes the idle
/// workspaces at once and each lent one when it comes back.
/// </summary>
internal sealed class CallWorkspacePool<T>(Func<T> create) : IDisposable where T : class, IDisposable
{
    private readonly Stack<T> _free = new();
    private int _created;
    private bool _disposed;

    /// <summary>Workspaces made so far: the peak number of calls that ran at once.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Workspaces waiting to be lent.</summary>
    public int Idle
    {
        get
        {
            lock (_free) return _free.Count;
        }
    }

    /// <summary>A workspace no other call holds: an idle one, or a new one when all are lent.</summary>
    public T Take()
    {
        lock (_free)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_free.TryPop(out var idle)) return idle;
        }
        // Creating may be slow (device memory, library handles), so it happens outside the lock.
        var made = create();
        Interlocked.Increment(ref _created);
        return made;
    }

    /// <summary>Gives a workspace back for the next call; after <see cref="Dispose"/> it is disposed instead.</summary>
    public void Return(T workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        lock (_free)
        {
            if (!_disposed)
            {
                _free.Push(workspace);
                return;
            }
        }
        workspace.Dispose();
    }

    public void Dispose()
    {
        T[] idle;
        lock (_free)
        {
            if (_disposed) return;
            _disposed = true;
            idle = _free.ToArray();
            _free.Clear();
        }
        foreach (var workspace in idle) workspace.Dispose();
    }
}
