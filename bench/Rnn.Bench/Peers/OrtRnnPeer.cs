using Microsoft.ML.OnnxRuntime;
using System.Numerics.Tensors;

namespace RnnNative.Bench.Peers;

/// <summary>
/// ONNX Runtime running the model <see cref="OnnxRnnModelWriter"/> writes from our parameters: all cores
/// (IntraOpNumThreads), every graph optimization on. Input and output buffers are bound once, so a timed
/// <see cref="Run"/> measures the session, not allocation.
/// </summary>
public sealed class OrtRnnPeer : IDisposable
{
    private static readonly string[] InputNames = ["x"];
    private static readonly string[] OutputNames = ["y"];
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    public OrtRnnPeer(RnnParameters parameters, Tensor<float> input, int threads)
    {
        if (input.Rank != 3) throw new ArgumentException($"The peer takes time-major input (T, N, I); got {input.ShapeString}.", nameof(input));
        _options = OrtSessionSettings.WithThreads(threads);
        _session = new InferenceSession(OnnxRnnModelWriter.Write(parameters), _options);
        long t = input.Dim(0), n = input.Dim(1);
        Output = new float[t * n * parameters.Spec.OutputSize];
        _input = OrtValue.CreateTensorValueFromMemory(input.Span.ToArray(), [t, n, input.Dim(2)]);
        _output = OrtValue.CreateTensorValueFromMemory(Output, [t, n, parameters.Spec.OutputSize]);
        _inputs = [_input];
        _outputs = [_output];
    }

    /// <summary>y of the last <see cref="Run"/>, (T, N, D·H) row-major.</summary>
    public float[] Output { get; }

    public static string Version => OrtEnv.Instance().GetVersionString();

    public void Run() => _session.Run(_runOptions, InputNames, _inputs, OutputNames, _outputs);

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
