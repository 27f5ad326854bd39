using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// A (stacked, possibly bidirectional) RNN as a trainable layer, run by whatever backend is given: forward in training
/// mode, backward through the executor, and after an optimizer step <see cref="PushParameters"/> hands the updated
/// weights back to the executor(s). Parameters are exposed under PyTorch's state_dict names with a prefix
/// (<c>rnn.weight_ih_l0</c>, ...), initialised as PyTorch does (uniform ±1/√H) from a seed.
/// <para>
/// Dropout between stacked layers (PyTorch's <c>dropout</c> argument: applied to every layer's output but the last, in
/// training only) needs the intermediate outputs, which a fused multi-layer executor does not expose. So when dropout is
/// on, each layer runs as its own one-layer executor and the masks are applied in between; without dropout the whole
/// stack is one executor, which lets backends fuse it.
/// </para>
/// </summary>
public sealed class RecurrentLayer : IDisposable
{
    private readonly Stage[] _stages;
    private readonly Dropout? _dropout;
    private readonly List<Parameter> _parameters = [];

    public RecurrentLayer(RnnSpec spec, IRnnBackend backend, int seed, double dropout = 0, string name = "rnn", RnnExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(backend);
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout probability must be in [0, 1).");
        Spec = spec;
        Backend = backend;
        DropoutProbability = dropout;
        bool split = dropout > 0 && spec.NumLayers > 1;
        _dropout = split ? new Dropout(dropout, unchecked(seed * 31 + 7)) : null;
        var stageSpecs = split
            ? Enumerable.Range(0, spec.NumLayers).Select(l => new RnnSpec(spec.Cell, spec.LayerInputSize(l), spec.HiddenSize, 1, spec.Bidirectional, spec.HasBias, spec.ProjectionSize)).ToArray()
            : [spec];
        _stages = new Stage[stageSpecs.Length];
        for (int s = 0; s < stageSpecs.Length; s++)
        {
            var parameters = RnnParameters.InitializeUniform(stageSpecs[s], unchecked(seed + 1000 * s));
            _stages[s] = new Stage(stageSpecs[s], parameters, backend.CreateExecutor(parameters, options), split ? s : 0);
            foreach (var info in parameters.Infos)
            {
                string fullName = $"{name}.{RnnParameterInfo.NameOf(info.Kind, info.Layer + _stages[s].LayerOffset, info.Direction)}";
                var p = new Parameter(fullName, parameters[info.Name]);
                _stages[s].Gradients.Add(info.Name, p);
                _parameters.Add(p);
            }
        }
        // PyTorch's order: layer by layer, direction, then weight_ih, weight_hh, bias_ih, bias_hh.
        var order = RnnParameterInfo.Enumerate(spec).Select(i => $"{name}.{i.Name}").ToList();
        _parameters.Sort((a, b) => order.IndexOf(a.Name).CompareTo(order.IndexOf(b.Name)));
    }

    public RnnSpec Spec { get; }
    public IRnnBackend Backend { get; }
    public double DropoutProbability { get; }
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>x (T, N, I) time-major; lengths per sequence (null = all T); optional initial state (L·D, N, H).</summary>
    public RecurrentPass Forward(Tensor<float> input, int[]? lengths, RecurrentState? initial, bool training)
    {
        var stages = new RnnForwardResult[_stages.Length];
        var masks = new float[]?[_stages.Length];
        var mode = training ? RnnMode.Training : RnnMode.Inference;
        var x = input;
        var hidden = new List<Tensor<float>>();
        var cell = new List<Tensor<float>>();
        try
        {
            for (int s = 0; s < _stages.Length; s++)
            {
                var st = _stages[s];
                var h0 = initial is null ? null : SliceRows(initial.Hidden, Spec.HiddenStateSize, st, nameof(initial));
                var c0 = initial?.Cell is null ? null : SliceRows(initial.Cell, Spec.CellStateSize, st, nameof(initial));
                stages[s] = st.Executor.Forward(new RnnInput(x, lengths, h0, c0), mode);
                hidden.Add(stages[s].Hidden);
                if (stages[s].Cell is { } c) cell.Add(c);
                x = stages[s].Output;
                if (training && _dropout is not null && s < _stages.Length - 1)
                {
                    masks[s] = _dropout.NextMask(x.Length);
                    x = Dropout.Apply(x, masks[s]!);
                }
            }
        }
        catch
        {
            foreach (var r in stages) r?.Dispose();
            throw;
        }
        var final = new RecurrentState(ConcatRows(hidden), cell.Count > 0 ? ConcatRows(cell) : null);
        return new RecurrentPass(x, final, stages, masks, training);
    }

    /// <summary>
    /// Backpropagates dL/dy (T, N, D·H) and dL/dh_n, dL/dc_n (any may be null = zero), accumulating into
    /// <see cref="Parameters"/>' gradients. Returns dL/dx and the gradient of the initial state.
    /// </summary>
    public (Tensor<float> Input, RecurrentState Initial) Backward(RecurrentPass pass, Tensor<float>? gradOutput, Tensor<float>? gradHidden, Tensor<float>? gradCell)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (!pass.IsTraining) throw new ArgumentException("This pass ran in inference mode; run Forward with training: true to backpropagate.", nameof(pass));
        var dh0 = new Tensor<float>[_stages.Length];
        var dc0 = new Tensor<float>?[_stages.Length];
        Tensor<float>? dy = gradOutput;
        for (int s = _stages.Length - 1; s >= 0; s--)
        {
            var st = _stages[s];
            var result = pass.Stages[s];
            var ctx = result.Context ?? throw new InvalidOperationException("The pass holds no training context (was it already backpropagated?).");
            var grads = st.Executor.Backward(ctx, new RnnOutputGradients(dy,
                gradHidden is null ? null : SliceRows(gradHidden, Spec.HiddenStateSize, st, nameof(gradHidden)),
                gradCell is null ? null : SliceRows(gradCell, Spec.CellStateSize, st, nameof(gradCell))));
            foreach (var (name, g) in grads.Parameters.Tensors)
            {
                var target = st.Gradients[name].Gradient.Span;
                System.Numerics.Tensors.TensorPrimitives.Add(target, g.Span, target);
            }
            dh0[s] = grads.InitialHidden;
            dc0[s] = grads.InitialCell;
            dy = s > 0 && pass.Masks[s - 1] is { } mask ? Dropout.Apply(grads.Input, mask) : grads.Input;
        }
        var cells = dc0.Where(c => c is not null).Select(c => c!).ToList();
        return (dy!, new RecurrentState(ConcatRows(dh0), cells.Count > 0 ? ConcatRows(cells) : null));
    }

    /// <summary>Hands the (optimizer-updated) parameter values to the executors.</summary>
    public void PushParameters()
    {
        foreach (var st in _stages) st.Executor.UpdateParameters(st.Parameters);
    }

    public void Dispose()
    {
        foreach (var st in _stages) st.Executor.Dispose();
    }

    /// <summary>The rows (layers·directions) of a (L·D, N, width) state that one stage owns; width is the h or c state size.</summary>
    private Tensor<float> SliceRows(Tensor<float> state, int width, Stage st, string argument)
    {
        int rows = Spec.NumLayers * Spec.Directions;
        if (state.Rank != 3 || state.Dim(0) != rows || state.Dim(2) != width)
            throw new ArgumentException($"{argument} must have shape ({rows}, N, {width}) (layers·directions, N, state size); got {state.ShapeString}.", argument);
        if (_stages.Length == 1) return state;
        int stageRows = st.Spec.Directions;
        int block = stageRows * state.Dim(1) * width;
        var data = new float[block];
        state.Span.Slice(st.LayerOffset * block, block).CopyTo(data);
        return RnnTensors.Create(data, stageRows, state.Dim(1), width);
    }

    private static Tensor<float> ConcatRows(IReadOnlyList<Tensor<float>> parts)
    {
        if (parts.Count == 1) return parts[0];
        var data = parts.SelectMany(p => p.Span.ToArray()).ToArray();
        return RnnTensors.Create(data, parts.Sum(p => p.Dim(0)), parts[0].Dim(1), parts[0].Dim(2));
    }

    private sealed class Stage(RnnSpec spec, RnnParameters parameters, RnnExecutor executor, int layerOffset)
    {
        public RnnSpec Spec { get; } = spec;
        public RnnParameters Parameters { get; } = parameters;
        public RnnExecutor Executor { get; } = executor;
        public int LayerOffset { get; } = layerOffset;
        /// <summary>The exposed parameter for each of this stage's own (l0-based) names.</summary>
        public Dictionary<string, Parameter> Gradients { get; } = [];
    }
}
