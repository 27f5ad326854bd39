namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Maps PyTorch's parameters onto cuDNN's weight space. pseudoLayer = layer·directions + direction. linLayerID 0..G-1
/// are the gates of weight_ih (and bias_ih), G..2G-1 those of weight_hh (and bias_hh). The gate order is the same
/// in both libraries (LSTM i, f, g, o; GRU r, z, n), so gate g is rows [g·H, (g+1)·H) of the PyTorch tensor,
/// copied as is: cuDNN matrices are row-major H × columns, like PyTorch's. With a projection (LSTM proj_size P) the
/// recurrent matrices have P columns, deeper layers read D·P inputs, and linLayerID 8 is W_hr, a P × H matrix without
/// bias: the whole of weight_hr_l{k}[_reverse].
/// </summary>
internal static class CuDnnWeightMapping
{
    /// <summary>cudnnGetRNNWeightParams' linLayerID of an LSTM's recurrent projection matrix.</summary>
    public const int ProjectionLinLayerId = 8;

    /// <summary>Every block of the spec: for each pseudo-layer, each linLayerID, the matrix and (with bias) the bias.</summary>
    public static IReadOnlyList<CuDnnWeightBlock> For(RnnSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int gates = spec.GateCount, hidden = spec.HiddenSize;
        var blocks = new List<CuDnnWeightBlock>();
        for (int layer = 0; layer < spec.NumLayers; layer++)
        for (int direction = 0; direction < spec.Directions; direction++)
        {
            int pseudoLayer = layer * spec.Directions + direction;
            for (int linLayerId = 0; linLayerId < 2 * gates; linLayerId++)
            {
                bool recurrent = linLayerId >= gates;
                int gate = linLayerId % gates;
                var matrixKind = recurrent ? RnnParameterKind.WeightHh : RnnParameterKind.WeightIh;
                int columns = recurrent ? spec.HiddenStateSize : spec.LayerInputSize(layer);
                blocks.Add(new CuDnnWeightBlock(pseudoLayer, linLayerId, false, RnnParameterInfo.NameOf(matrixKind, layer, direction),
                    matrixKind, layer, direction, gate, gate * hidden * columns, hidden, columns));
                if (!spec.HasBias) continue;
                var biasKind = recurrent ? RnnParameterKind.BiasHh : RnnParameterKind.BiasIh;
                blocks.Add(new CuDnnWeightBlock(pseudoLayer, linLayerId, true, RnnParameterInfo.NameOf(biasKind, layer, direction),
                    biasKind, layer, direction, gate, gate * hidden, hidden, 1));
            }
            if (spec.HasProjection)
                blocks.Add(new CuDnnWeightBlock(pseudoLayer, ProjectionLinLayerId, false,
                    RnnParameterInfo.NameOf(RnnParameterKind.WeightHr, layer, direction), RnnParameterKind.WeightHr, layer, direction,
                    0, 0, spec.ProjectionSize, hidden));
        }
        return blocks;
    }
}
