using RnnNative.Formats;
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

    /// <summary>The token input (embedding or one-hot) and the RNN under <paramref name="prefix"/>.</summary>
    public (TokenInputTable Input, RecurrentNetwork Rnn) Encoder(string prefix, RnnCellKind? mode, IRnnBackend backend, RnnExecutorOptions options)
    {
        var parameters = Rnn(prefix, mode);
        var input = Input(prefix, parameters.Spec);
        var network = new RecurrentNetwork(parameters, backend, Int8.ExecutorOptions(prefix + "rnn.", parameters.Spec, options));
        _networks.Add(network);
        return (input, network);
    }

    /// <summary>The int8 quantization of each network, read from the file's metadata (see <see cref="ModelInt8Metadata"/>).</summary>
    public required ModelInt8Metadata Int8 { get; init; }

    /// <summary>The parameters of the RNN under <paramref name="prefix"/> (<c>{prefix}rnn.weight_ih_l0</c>, ...).</summary>
    public RnnParameters Rnn(string prefix, RnnCellKind? mode)
    {
        string rnnPrefix = prefix + "rnn.";
        var rnnTensors = tensors.Where(kv => kv.Key.StartsWith(rnnPrefix, StringComparison.Ordinal))
            .Select(kv => new KeyValuePair<string, Tensor<float>>(kv.Key[rnnPrefix.Length..], kv.Value)).ToList();
        if (rnnTensors.Count == 0)
            throw new FileFormatException(file, $"there is no {rnnPrefix}weight_ih_l0 (found: {InferenceModelLoader.Found(tensors)})");
        var parameters = RnnModelFile.FromContent(new SafetensorsContent(new Dictionary<string, string>(), rnnTensors), file, mode);
        foreach (var (name, _) in rnnTensors) _used.Add(rnnPrefix + name);
        return parameters;
    }

    /// <summary>The token input of the RNN under <paramref name="prefix"/>: <c>{prefix}embedding.weight</c>, or one-hot.</summary>
    public TokenInputTable Input(string prefix, RnnSpec spec)
    {
        Tensor<float>? embedding = null;
        if (tensors.TryGetValue(prefix + "embedding.weight", out var e))
        {
            if (e.Rank != 2 || e.Dim(1) != spec.InputSize)
                throw new FileFormatException(file, $"{prefix}embedding.weight has shape {e.ShapeString}; the RNN reads {spec.InputSize}-wide vectors, so it must be (vocabulary, {spec.InputSize})");
            embedding = e;
            _used.Add(prefix + "embedding.weight");
        }
        return new TokenInputTable(embedding, spec.InputSize);
    }

    public OutputProjection Projection(string name, int inputSize)
    {
        if (!tensors.TryGetValue(name + ".weight", out var w))
            throw new FileFormatException(file, $"there is no {name}.weight (found: {InferenceModelLoader.Found(tensors)})");
        if (w.Rank != 2 || w.Dim(1) != inputSize)
            throw new FileFormatException(file, $"{name}.weight has shape {w.ShapeString}; expected (classes, {inputSize})");
        _used.Add(name + ".weight");
        Tensor<float>? bias = null;
        if (tensors.TryGetValue(name + ".bias", out var b))
        {
            if (!b.HasShape(w.Dim(0)))
                throw new FileFormatException(file, $"{name}.bias has shape {b.ShapeString}; expected ({w.Dim(0)})");
            bias = b;
            _used.Add(name + ".bias");
        }
        return new OutputProjection(w, bias);
    }

    public void RequireAllUsed()
    {
        var extra = tensors.Keys.Where(k => !_used.Contains(k)).ToList();
        if (extra.Count > 0) throw new FileFormatException(file, $"unexpected tensor(s) {string.Join(", ", extra.Take(8))} for this model");
    }
}
