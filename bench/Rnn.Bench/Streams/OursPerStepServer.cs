namespace RnnNative.Bench.Streams;

/// <summary>(b) Ours, one caller-memory call per step, states carried by hand.</summary>
internal sealed class OursPerStepServer : QueuedStepServer
{
    private readonly RnnExecutor _executor;
    private readonly float[][] _hidden, _cell;
    private readonly float[][] _hn, _cn;
    private readonly int _h, _c;

    public OursPerStepServer(RnnExecutor executor, int streams, float[] inputs, int workers) : base(executor.Spec, streams, inputs, workers)
    {
        _executor = executor;
        var spec = executor.Spec;
        _h = spec.NumLayers * spec.HiddenStateSize;
        _c = spec.Cell.HasCellState() ? spec.NumLayers * spec.CellStateSize : 0;
        // One state per stream, plus a few for the equality check.
        _hidden = Enumerable.Range(0, streams + 4).Select(_ => new float[_h]).ToArray();
        _cell = Enumerable.Range(0, streams + 4).Select(_ => new float[_c]).ToArray();
        _hn = Enumerable.Range(0, workers + 1).Select(_ => new float[_h]).ToArray();
        _cn = Enumerable.Range(0, workers + 1).Select(_ => new float[_c]).ToArray();
        Start();
    }

    public override string Name => $"ours, one call per step ({Workers} workers × 1 thread)";

    protected override void Step(int worker, int stream, ReadOnlySpan<float> x, Span<float> y)
    {
        _executor.Forward(new RnnInferenceRequest(x, 1, 1)
        {
            InitialHidden = _hidden[stream],
            InitialCell = _cell[stream],
            Threads = 1,
        }, new RnnOutputBuffers(y, _hn[worker], _c == 0 ? default : _cn[worker]));
        _hn[worker].CopyTo(_hidden[stream], 0);
        _cn[worker].CopyTo(_cell[stream], 0);
    }

    public override float[] StepNow(int stream, float[] x)
    {
        var y = new float[Spec.OutputSize];
        Step(Workers, Streams + stream, x, y);
        return y;
    }

    protected override void DisposeCore() { }
}
