using System.Numerics.Tensors;
namespace RnnNative;

/// <summary>
/// The weights of an RNN in PyTorch's canonical layout and names (weight_ih_l0, ..., _reverse). This is the only layout
/// the public API knows; each backend converts it privately. Also used for parameter gradients.
/// </summary>
public sealed class RnnParameters
{
    private readonly Dictionary<string, Tensor<float>> _tensors;

    private RnnParameters(RnnSpec spec, Dictionary<string, Tensor<float>> tensors)
    {
        Spec = spec;
        _tensors = tensors;
    }

    public RnnSpec Spec { get; }

    public IReadOnlyList<RnnParameterInfo> Infos => RnnParameterInfo.Enumerate(Spec);

    public Tensor<float> this[string name] => _tensors.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"The model {Spec} has no parameter '{name}'.");

    public Tensor<float> Get(RnnParameterKind kind, int layer, int direction) => this[RnnParameterInfo.NameOf(kind, layer, direction)];

    public bool TryGet(RnnParameterKind kind, int layer, int direction, out Tensor<float> tensor) =>
        _tensors.TryGetValue(RnnParameterInfo.NameOf(kind, layer, direction), out tensor!);

    /// <summary>The tensors in state_dict order.</summary>
    public IEnumerable<KeyValuePair<string, Tensor<float>>> Tensors => Infos.Select(i => new KeyValuePair<string, Tensor<float>>(i.Name, _tensors[i.Name]));

    public static RnnParameters Zeros(RnnSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dict = new Dictionary<string, Tensor<float>>();
        foreach (var info in RnnParameterInfo.Enumerate(spec)) dict[info.Name] = RnnTensors.Zeros(info.Shape);
        return new RnnParameters(spec, dict);
    }

    /// <summary>PyTorch's default initialisation: every parameter uniform in ±1/√hidden, from a seed.</summary>
    public static RnnParameters InitializeUniform(RnnSpec spec, int seed)
    {
        var p = Zeros(spec);
        var rng = new Random(seed);
        float bound = 1f / MathF.Sqrt(spec.HiddenSize);
        foreach (var (_, tensor) in p.Tensors)
        {
            var data = tensor.Span;
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1) * bound;
        }
        return p;
    }

    /// <summary>Builds parameters from named tensors, checking that exactly the spec's names are present with the spec's shapes.</summary>
    public static RnnParameters FromTensors(RnnSpec spec, IReadOnlyDictionary<string, Tensor<float>> tensors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tensors);
        var dict = new Dictionary<string, Tensor<float>>();
        foreach (var info in RnnParameterInfo.Enumerate(spec))
        {
            if (!tensors.TryGetValue(info.Name, out var t))
                throw new ArgumentException($"Parameter '{info.Name}' of shape {RnnTensors.ShapeToString(info.Shape)} is missing for {spec}.", nameof(tensors));
            if (!t.HasShape(info.Shape))
                throw new ArgumentException($"Parameter '{info.Name}' has shape {t.ShapeString}; {spec} expects {RnnTensors.ShapeToString(info.Shape)}.", nameof(tensors));
            dict[info.Name] = t;
        }
        var extra = tensors.Keys.Where(k => !dict.ContainsKey(k)).ToList();
        if (extra.Count > 0)
            throw new ArgumentException($"Unexpected parameter(s) for {spec}: {string.Join(", ", extra)}.", nameof(tensors));
        return new RnnParameters(spec, dict);
    }

    public RnnParameters Clone() => new(Spec, _tensors.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
}
