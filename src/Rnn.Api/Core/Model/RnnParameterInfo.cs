namespace RnnNative;

/// <summary>One parameter tensor of an <see cref="RnnSpec"/>: its PyTorch name, position and shape.</summary>
public sealed record RnnParameterInfo(string Name, int Layer, int Direction, RnnParameterKind Kind, int[] Shape)
{
    public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>PyTorch's state_dict name: weight_ih_l0, bias_hh_l2_reverse, ...</summary>
    public static string NameOf(RnnParameterKind kind, int layer, int direction)
    {
        string stem = kind switch
        {
            RnnParameterKind.WeightIh => "weight_ih",
            RnnParameterKind.WeightHh => "weight_hh",
            RnnParameterKind.BiasIh => "bias_ih",
            RnnParameterKind.BiasHh => "bias_hh",
            RnnParameterKind.WeightHr => "weight_hr",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return direction == 0 ? $"{stem}_l{layer}" : $"{stem}_l{layer}_reverse";
    }

    /// <summary>Every parameter of the spec in PyTorch's state_dict order (per layer and direction: ih, hh, biases, then hr).</summary>
    public static IReadOnlyList<RnnParameterInfo> Enumerate(RnnSpec spec)
    {
        var list = new List<RnnParameterInfo>();
        int gh = spec.GateCount * spec.HiddenSize;
        for (int layer = 0; layer < spec.NumLayers; layer++)
        for (int dir = 0; dir < spec.Directions; dir++)
        {
            list.Add(new(NameOf(RnnParameterKind.WeightIh, layer, dir), layer, dir, RnnParameterKind.WeightIh, [gh, spec.LayerInputSize(layer)]));
            list.Add(new(NameOf(RnnParameterKind.WeightHh, layer, dir), layer, dir, RnnParameterKind.WeightHh, [gh, spec.HiddenStateSize]));
            if (spec.HasBias)
            {
                list.Add(new(NameOf(RnnParameterKind.BiasIh, layer, dir), layer, dir, RnnParameterKind.BiasIh, [gh]));
                list.Add(new(NameOf(RnnParameterKind.BiasHh, layer, dir), layer, dir, RnnParameterKind.BiasHh, [gh]));
            }
            if (spec.HasProjection)
                list.Add(new(NameOf(RnnParameterKind.WeightHr, layer, dir), layer, dir, RnnParameterKind.WeightHr, [spec.ProjectionSize, spec.HiddenSize]));
        }
        return list;
    }
}
