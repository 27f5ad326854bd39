namespace RnnNative.Bench.Streams;

/// <summary>
/// One way of serving streams that each send one step at a time: the load generator submits (stream, issue time) and
/// the server calls <see cref="Completed"/> when that step's output and new state are ready. A stream never has two
/// steps outstanding (the generator sees to it), as with a client waiting for each answer.
/// </summary>
internal abstract class StepServer : IDisposable
{
    protected StepServer(RnnSpec spec, int streams, float[] inputs)
    {
        Spec = spec;
        Streams = streams;
        Inputs = inputs;
    }

    public abstract string Name { get; }
    public RnnSpec Spec { get; }
    public int Streams { get; }

    /// <summary>A pool of input rows; a step of stream s reads row (s + its step count) mod the pool size.</summary>
    protected float[] Inputs { get; }

    public Action<int, long>? Completed { get; set; }

    public abstract void Submit(int stream, long issued);

    /// <summary>Runs one step of a stream on the given input and waits for its output (the equality check before timing).</summary>
    public abstract float[] StepNow(int stream, float[] x);

    public abstract void Dispose();

    protected ReadOnlyMemory<float> InputRow(int stream, int step)
    {
        int rows = Inputs.Length / Spec.InputSize;
        return Inputs.AsMemory((stream + step) % rows * Spec.InputSize, Spec.InputSize);
    }
}
