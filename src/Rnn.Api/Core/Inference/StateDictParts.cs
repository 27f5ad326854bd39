using RnnNative.Formats;

namespace RnnNative.Inference;

/// <summary>Takes the parts of a model out of a state_dict by name, checking shapes, and reports names nothing used.</summary>
internal sealed class StateDictParts(IReadOnlyDictionary<string, Tensor> tensors, string file)
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
        string rnnPrefix = prefix + "rnn.";
        var rnnTensors = tensors.Where(kv => kv.Key.StartsWith(rnnPrefix, StringComparison.Ordinal))
            .Select(kv => new KeyValuePair<string, Tensor>(kv.Key[rnnPrefix.Length..], kv.Value)).ToList();
        if (rnnTensors.Count == 0)
            throw new FileFormatException(file, $"there is no {rnnPrefix}weight_ih_l0 (found: {InferenceModelLoader.Found(tensors)})");
        var parameters = RnnModelFile.FromContent(new SafetensorsContent(new Dictionary<string, string>(), rnnTensors), file, mode);
        foreach (var (name, _) in rnnTensors) _used.Add(rnnPrefix + name);
        Tensor? embedding = null;
        if (tensors.TryGetValue(prefix + "embedding.weight", out var e))
        {
            if (e.Rank != 2 || e.Dim(1) != parameters.Spec.InputSize)
                throw new FileFormatException(file, $"{prefix}embedding.weight has shape {e.ShapeString}; the RNN reads {parameters.Spec.InputSize}-wide vectors, so it must be (vocabulary, {parameters.Spec.InputSize})");
            embedding = e;
            _used.Add(prefix + "embedding.weight");
        }
        var network = new RecurrentNetwork(parameters, backend, options);
        _networks.Add(network);
        return (new TokenInputTable(embedding, parameters.Spec.InputSize), network);
    }

    public OutputProjection Projection(string name, int inputSize)
    {
        if (!tensors.TryGetValue(name + ".weight", out var w))
            throw new FileFormatException(file, $"there is no {name}.weight (found: {InferenceModelLoader.Found(tensors)})");
        if (w.Rank != 2 || w.Dim(1) != inputSize)
            throw new FileFormatException(file, $"{name}.weight has shape {w.ShapeString}; expected (classes, {inputSize})");
        _used.Add(name + ".weight");
        Tensor? bias = null;
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
