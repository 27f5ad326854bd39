using RnnNative.Extensibility;
namespace RnnNative;

/// <summary>
/// What a training-mode forward pass keeps for the backward pass (activations, a oneDNN workspace, a cuDNN reserve
/// space). Opaque to callers; each backend derives its own. Valid for one backward pass on the executor that made it.
/// </summary>
public abstract class RnnTrainingContext : IDisposable
{
    protected RnnTrainingContext(RnnExecutor owner, RnnBatchShape shape)
    {
        Owner = owner;
        Shape = shape;
    }

    public RnnExecutor Owner { get; }
    public RnnBatchShape Shape { get; }
    public bool IsDisposed { get; private set; }

    private static long s_undisposed;

    /// <summary>
    /// Training contexts the garbage collector found that nobody disposed: each held native or device memory longer
    /// than it had to. A count for tests and diagnostics; each one also writes a trace warning.
    /// </summary>
    public static long UndisposedCount => Interlocked.Read(ref s_undisposed);

    ~RnnTrainingContext()
    {
        // The handles it holds have their own finalizers and free the memory; what is reported here is the leak.
        Interlocked.Increment(ref s_undisposed);
        System.Diagnostics.Trace.TraceWarning($"An RnnTrainingContext ({Shape.SeqLen}x{Shape.Batch}) was never disposed; dispose the forward result or call Backward.");
    }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    protected virtual void Release() { }

    /// <summary>Throws unless this context belongs to <paramref name="executor"/> and is still alive.</summary>
    public void EnsureUsableBy(RnnExecutor executor)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!ReferenceEquals(executor, Owner))
            throw new ArgumentException("This training context was produced by a different executor.", "context");
    }
}
