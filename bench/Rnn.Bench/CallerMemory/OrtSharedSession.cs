using Microsoft.ML.OnnxRuntime;
using RnnNative.Bench.Peers;
using System.Numerics.Tensors;

namespace RnnNative.Bench.CallerMemory;

/// <summary>
/// ONNX Runtime as a service with K callers would run it: ONE <see cref="InferenceSession"/> over the model
/// <see cref="OnnxRnnModelWriter"/> writes from our parameters, one thread per call (IntraOpNumThreads 1,
/// InterOpNumThreads 1, sequential execution: the counterpart of <c>rnn bench --threads 1</c>), and K callers that
/// each own a y buffer allocated once and bound as an <see cref="OrtValue"/>, all reading one shared input. A call
/// therefore allocates no output of its own: what the session itself needs per caller is all that grows with K.
/// </summary>
public sealed class OrtSharedSession : IDisposable
{
    private static readonly string[] InputNames = ["x"];
    private static readonly string[] OutputNames = ["y"];
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly OrtValue _input;
    private readonly OrtValue[] _inputs;
    private readonly float[][] _y;
    private readonly OrtValue[][] _outputs;
    private readonly RunOptions[] _runOptions;

    public OrtSharedSession(RnnParameters parameters, Tensor<float> input, int callers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(callers, 1);
        if (input.Rank != 3) throw new ArgumentException($"The session takes time-major input (T, N, I); got {input.ShapeString}.", nameof(input));
        _options = OrtSessionSettings.OneThreadPerCall();
        _session = new InferenceSession(OnnxRnnModelWriter.Write(parameters), _options);
        long t = input.Dim(0), n = input.Dim(1), features = parameters.Spec.OutputSize;
        _input = OrtValue.CreateTensorValueFromMemory(input.Span.ToArray(), [t, n, input.Dim(2)]);
        _inputs = [_input];
        _y = new float[callers][];
        _outputs = new OrtValue[callers][];
        _runOptions = new RunOptions[callers];
        for (int c = 0; c < callers; c++)
        {
            _y[c] = new float[t * n * features];
            _outputs[c] = [OrtValue.CreateTensorValueFromMemory(_y[c], [t, n, features])];
            _runOptions[c] = new RunOptions();
        }
    }

    public int Callers => _y.Length;

    /// <summary>The bytes of the buffers the callers own (one y each; the model has no h_n or c_n output).</summary>
    public long CallerBufferBytes => _y.Sum(y => (long)y.Length * sizeof(float));

    /// <summary>One call by <paramref name="caller"/>, into its own y; callers may call at the same time.</summary>
    public void Run(int caller) => _session.Run(_runOptions[caller], InputNames, _inputs, OutputNames, _outputs[caller]);

    /// <summary><paramref name="caller"/>'s y of its last call, (T, N, D·H) row-major.</summary>
    public float[] Output(int caller) => _y[caller];

    public void Dispose()
    {
        foreach (var output in _outputs) output[0].Dispose();
        foreach (var runOptions in _runOptions) runOptions.Dispose();
        _input.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
