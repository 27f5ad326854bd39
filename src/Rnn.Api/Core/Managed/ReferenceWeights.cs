namespace RnnNative.Managed;

/// <summary>
/// The parameters in double, per layer and direction (index layer·D + direction), in PyTorch's layout:
/// W_ih (G·H × in), W_hh (G·H × S) row-major, b_ih and b_hh (G·H), or null without bias, and with a projection
/// W_hr (P × H), else null; S is the h state size (P or H). Also holds gradients.
/// </summary>
internal sealed class ReferenceWeights
{
    public ReferenceWeights(RnnSpec spec)
    {
        Spec = spec;
        int count = spec.NumLayers * spec.Directions;
        int gh = spec.GateCount * spec.HiddenSize;
        WeightIh = new double[count][];
        WeightHh = new double[count][];
        BiasIh = new double[count][];
        BiasHh = new double[count][];
        WeightHr = new double[count][];
        for (int layer = 0; layer < spec.NumLayers; layer++)
        for (int dir = 0; dir < spec.Directions; dir++)
        {
            int i = layer * spec.Directions + dir;
            WeightIh[i] = new double[gh * spec.LayerInputSize(layer)];
            WeightHh[i] = new double[gh * spec.HiddenStateSize];
            BiasIh[i] = spec.HasBias ? new double[gh] : null;
            BiasHh[i] = spec.HasBias ? new double[gh] : null;
            WeightHr[i] = spec.HasProjection ? new double[spec.ProjectionSize * spec.HiddenSize] : null;
        }
    }

    public RnnSpec Spec { get; }
    public double[][] WeightIh { get; }
    public double[][] WeightHh { get; }
    public double[]?[] BiasIh { get; }
    public double[]?[] BiasHh { get; }
    public double[]?[] WeightHr { get; }

    /// <summary>The array holding a given parameter (by PyTorch name), for conversion and finite differences.</summary>
    public double[] Array(RnnParameterInfo info)
    {
        int i = info.Layer * Spec.Directions + info.Direction;
        return info.Kind switch
        {
            RnnParameterKind.WeightIh => WeightIh[i],
            RnnParameterKind.WeightHh => WeightHh[i],
            RnnParameterKind.BiasIh => BiasIh[i]!,
            RnnParameterKind.BiasHh => BiasHh[i]!,
            RnnParameterKind.WeightHr => WeightHr[i]!,
            _ => throw new ArgumentOutOfRangeException(nameof(info)),
        };
    }

    public static ReferenceWeights From(RnnParameters parameters)
    {
        var w = new ReferenceWeights(parameters.Spec);
        foreach (var info in parameters.Infos)
        {
            var src = parameters[info.Name].Span;
            var dst = w.Array(info);
            for (int k = 0; k < src.Length; k++) dst[k] = src[k];
        }
        return w;
    }

    public RnnParameters ToParameters()
    {
        var p = RnnParameters.Zeros(Spec);
        foreach (var info in p.Infos)
        {
            var src = Array(info);
            var dst = p[info.Name].Span;
            for (int k = 0; k < src.Length; k++) dst[k] = (float)src[k];
        }
        return p;
    }
}
