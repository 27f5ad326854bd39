namespace RnnNative;

/// <summary>
/// What a training-mode forward pass keeps for the backward pass (activations, a oneDNN workspace, a cuDNN reserve
/// space). Opaque to callers; each backend derives its own. Valid for one backward pass on the executor that made it.
/// </summary>
public abstract class RnnTrainingContext : IDisposable
{
    protected RnnTrainingContext(IRnnExecutor owner, RnnBatchShape shape)
    {
        Owner = owner;
        Shape = shape;
    }

    public IRnnExecutor Owner { get; }
    public RnnBatchShape Shape { get; }
    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    protected virtual void Release() { }

    /// <summary>Throws unless this context belongs to <paramref name="executor"/> and is still alive.</summary>
    public void EnsureUsableBy(IRnnExecutor executor)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!ReferenceEquals(executor, Owner))
            throw new ArgumentException("This training context was produced by a different executor.", "context");
    }
}
