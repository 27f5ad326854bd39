using RnnNative.Formats;
using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Inference;

/// <summary>Takes the parts of a model out of a state_dict by name, checking shapes, and reports names nothing used.</summary>
internal sealed class StateDictParts(IReadOnlyDictionary<string, Tensor<float>> tensors, string file)
{
    private readonly HashSet<string> _used = [];
    private readonly List<RecurrentNetwork> _networks = [];

    /// <summary>Releases the executors made so far (when loading fails part-way).</summary>
    public void DisposeNetworks()
    {
        foreach (var n in _networks) n.Dispose();
    }

    /// <summary>The token input (<paramref name="embedding"/>'s table, or one-hot when null) and the RNN whose tensors are named <c>{rnnPrefix}weight_ih_l0</c>, ....</summary>
    public (ITokenInput Input, RecurrentNetwork Rnn) Encoder(string rnnPrefix, string? embedding, RnnCellKind? mode, IRnnBackend backend, RnnExecutorOptions options)
    {
        var parameters = Rnn(rnnPrefix, mode);
        var input = Input(embedding, parameters.Spec);
        // The int8 calibration of a network is stored under the network's own prefix (ModelInt8Metadata).
        var network = new RecurrentNetwork(parameters, backend, Int8.ExecutorOptions(rnnPrefix, parameters.Spec, options));
        _networks.Add(network);
        return (input, network);
    }

    /// <summary>The int8 quantization of each network, read from the file's metadata (see <see cref="ModelInt8Metadata"/>).</summary>
    public required ModelInt8Metadata Int8 { get; init; }

    /// <summary>The parameters of the RNN named <c>{rnnPrefix}weight_ih_l0</c>, ... (<c>rnn.</c>, <c>lstm.</c>, <c>encoder.rnn.</c>).</summary>
    public RnnParameters Rnn(string rnnPrefix, RnnCellKind? mode)
    {
        var rnnTensors = tensors.Where(kv => kv.Key.StartsWith(rnnPrefix, StringComparison.Ordinal) && !kv.Key[rnnPrefix.Length..].Contains('.'))
            .Select(kv => new KeyValuePair<string, Tensor<float>>(kv.Key[rnnPrefix.Length..], kv.Value)).ToList();
        if (rnnTensors.Count == 0)
            throw new FileFormatException(file, $"there is no {rnnPrefix}weight_ih_l0 (found: {InferenceModelLoader.Found(tensors)})");
        var parameters = RnnModelFile.FromContent(new SafetensorsContent(new Dictionary<string, string>(), rnnTensors), file, mode);
        foreach (var (name, _) in rnnTensors) _used.Add(rnnPrefix + name);
        return parameters;
    }

    /// <summary>The token input: an <see cref="Embedding"/> around the table <c>{embedding}.weight</c> when the module is given and present, else one-hot.</summary>
    public ITokenInput Input(string? embedding, RnnSpec spec)
    {
        string name = embedding + ".weight";
        if (embedding is null || !tensors.TryGetValue(name, out var e)) return new OneHotInput(spec.InputSize);
        if (e.Rank != 2 || e.Dim(0) < 1 || e.Dim(1) != spec.InputSize)
            throw new FileFormatException(file, $"{name} has shape {e.ShapeString}; the RNN reads {spec.InputSize}-wide vectors, so it must be (vocabulary, {spec.InputSize})");
        _used.Add(name);
        return new Embedding(new Parameter(name, e));
    }

    /// <summary>The dense head <c>{name}.weight</c> (classes, <paramref name="inputSize"/>) with <c>{name}.bias</c> when present.</summary>
    public Linear Projection(string name, int inputSize)
    {
        if (!tensors.TryGetValue(name + ".weight", out var w))
            throw new FileFormatException(file, $"there is no {name}.weight (found: {InferenceModelLoader.Found(tensors)})");
        if (w.Rank != 2 || w.Dim(0) < 1 || w.Dim(1) != inputSize)
            throw new FileFormatException(file, $"{name}.weight has shape {w.ShapeString}; expected (classes, {inputSize})");
        _used.Add(name + ".weight");
        Parameter? bias = null;
        if (tensors.TryGetValue(name + ".bias", out var b))
        {
            if (!b.HasShape(w.Dim(0)))
                throw new FileFormatException(file, $"{name}.bias has shape {b.ShapeString}; expected ({w.Dim(0)})");
            bias = new Parameter(name + ".bias", b);
            _used.Add(name + ".bias");
        }
        return new Linear(new Parameter(name + ".weight", w), bias);
    }

    public void RequireAllUsed()
    {
        var extra = tensors.Keys.Where(k => !_used.Contains(k)).ToList();
        if (extra.Count > 0) throw new FileFormatException(file, $"unexpected tensor(s) {string.Join(", ", extra.Take(8))} for this model");
    }
}
