namespace RnnNative.Streaming;

/// <summary>
/// One caller's gather and scatter memory: x (T, N, I), lengths, h0/c0 and the outputs, sized for the largest call so
/// far and reused, so a steady stream of calls allocates nothing.
/// </summary>
internal sealed class StreamCallBuffers(RnnSpec spec)
{
    private int _steps, _batch;

    public float[] Input { get; private set; } = [];
    public int[] Lengths { get; private set; } = [];
    public float[] InitialHidden { get; private set; } = [];
    public float[] InitialCell { get; private set; } = [];
    public float[] Output { get; private set; } = [];
    public float[] Hidden { get; private set; } = [];
    public float[] Cell { get; private set; } = [];

    /// <summary>Grows the buffers (never shrinks them) to hold a (steps, batch) call.</summary>
    public void Ensure(int steps, int batch)
    {
        if (steps <= _steps && batch <= _batch) return;
        _steps = Math.Max(steps, _steps);
        _batch = Math.Max(batch, _batch);
        var (y, hidden, cell) = RnnOutputBuffers.Sizes(spec, _steps, _batch);
        Input = new float[checked(_steps * _batch * spec.InputSize)];
        Lengths = new int[_batch];
        InitialHidden = new float[hidden];
        InitialCell = new float[cell];
        Output = new float[y];
        Hidden = new float[hidden];
        Cell = new float[cell];
    }
}
