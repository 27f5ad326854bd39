using Microsoft.ML.OnnxRuntime;
using RnnNative.Bench.Peers;

namespace RnnNative.Bench.Streams;

/// <summary>
/// (c) ONNX Runtime C#, one <c>Run</c> per step with the state fed back: each layer's h (and c) copied into the input
/// OrtValues, and the outputs copied back to the stream, over pinned arrays bound once per worker.
/// </summary>
internal sealed class OrtPerStepServer : QueuedStepServer
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames, _outputNames;
    private readonly Bound[] _bound;
    private readonly float[][] _hidden, _cell;
    private readonly int _layers, _width;
    private readonly bool _lstm;

    private sealed class Bound : IDisposable
    {
        public float[] X = [], Y = [];
        public float[][] H0 = [], C0 = [], Hn = [], Cn = [];
        public OrtValue[] Inputs = [], Outputs = [];

        public void Dispose()
        {
            foreach (var v in Inputs) v.Dispose();
            foreach (var v in Outputs) v.Dispose();
        }
    }

    public OrtPerStepServer(RnnParameters parameters, int streams, float[] inputs, int workers) : base(parameters.Spec, streams, inputs, workers)
    {
        var spec = parameters.Spec;
        _lstm = spec.Cell == RnnCellKind.Lstm;
        _layers = spec.NumLayers;
        _width = spec.HiddenSize;
        _options = OrtSessionSettings.OneThreadPerCall();
        _session = new InferenceSession(OnnxStatefulRnnWriter.Write(parameters), _options);
        var states = Enumerable.Range(0, _layers).SelectMany(l => _lstm ? new[] { $"h0_{l}", $"c0_{l}" } : [$"h0_{l}"]);
        _inputNames = ["x", .. states];
        _outputNames = ["y", .. Enumerable.Range(0, _layers).SelectMany(l => _lstm ? new[] { $"hn_{l}", $"cn_{l}" } : [$"hn_{l}"])];
        _hidden = Enumerable.Range(0, streams + 4).Select(_ => new float[_layers * _width]).ToArray();
        _cell = Enumerable.Range(0, streams + 4).Select(_ => new float[_lstm ? _layers * _width : 0]).ToArray();
        _bound = Enumerable.Range(0, workers + 1).Select(_ => Bind(spec)).ToArray();
        Start();
    }

    public static string Version => OrtEnv.Instance().GetVersionString();

    public override string Name => $"ONNX Runtime {Version}, one Run per step ({Workers} workers × 1 thread)";

    private Bound Bind(RnnSpec spec)
    {
        var b = new Bound { X = new float[spec.InputSize], Y = new float[spec.OutputSize] };
        b.H0 = Enumerable.Range(0, _layers).Select(_ => new float[_width]).ToArray();
        b.C0 = Enumerable.Range(0, _layers).Select(_ => new float[_width]).ToArray();
        b.Hn = Enumerable.Range(0, _layers).Select(_ => new float[_width]).ToArray();
        b.Cn = Enumerable.Range(0, _layers).Select(_ => new float[_width]).ToArray();
        var inputs = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(b.X, [1, 1, spec.InputSize]) };
        var outputs = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(b.Y, [1, 1, spec.OutputSize]) };
        for (int l = 0; l < _layers; l++)
        {
            inputs.Add(OrtValue.CreateTensorValueFromMemory(b.H0[l], [1, 1, _width]));
            if (_lstm) inputs.Add(OrtValue.CreateTensorValueFromMemory(b.C0[l], [1, 1, _width]));
            outputs.Add(OrtValue.CreateTensorValueFromMemory(b.Hn[l], [1, 1, _width]));
            if (_lstm) outputs.Add(OrtValue.CreateTensorValueFromMemory(b.Cn[l], [1, 1, _width]));
        }
        b.Inputs = [.. inputs];
        b.Outputs = [.. outputs];
        return b;
    }

    protected override void Step(int worker, int stream, ReadOnlySpan<float> x, Span<float> y)
    {
        var b = _bound[worker];
        x.CopyTo(b.X);
        for (int l = 0; l < _layers; l++)
        {
            _hidden[stream].AsSpan(l * _width, _width).CopyTo(b.H0[l]);
            if (_lstm) _cell[stream].AsSpan(l * _width, _width).CopyTo(b.C0[l]);
        }
        _session.Run(_run, _inputNames, b.Inputs, _outputNames, b.Outputs);
        b.Y.CopyTo(y);
        for (int l = 0; l < _layers; l++)
        {
            b.Hn[l].CopyTo(_hidden[stream].AsSpan(l * _width, _width));
            if (_lstm) b.Cn[l].CopyTo(_cell[stream].AsSpan(l * _width, _width));
        }
    }

    public override float[] StepNow(int stream, float[] x)
    {
        var y = new float[Spec.OutputSize];
        Step(Workers, Streams + stream, x, y);
        return y;
    }

    protected override void DisposeCore()
    {
        foreach (var b in _bound) b.Dispose();
        _run.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
