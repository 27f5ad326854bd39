namespace RnnNative.Bench.Latency;

/// <summary>
/// One serving shape of the latency suite: a model, a batch and a sequence length. <see cref="CarriesState"/>: one step
/// per call, each call starting from the state the previous one returned (a streaming caller).
/// </summary>
public sealed record LatencyCase(string Name, RnnSpec Spec, int Batch, int Steps, bool CarriesState = false)
{
    /// <summary>The serving shapes (issue 27): batch 1-16, the models users measure first.</summary>
    public static IReadOnlyList<LatencyCase> All { get; } =
    [
        new("lstm512x2 N1 T100", Lstm(256, 512, 2), 1, 100),
        new("lstm512x2 N2 T100", Lstm(256, 512, 2), 2, 100),
        new("lstm512x2 N4 T100", Lstm(256, 512, 2), 4, 100),
        new("lstm512x2 N16 T100", Lstm(256, 512, 2), 16, 100),
        new("lstm256 N1 T50", Lstm(64, 256, 1), 1, 50),
        new("lstm256 N2 T50", Lstm(64, 256, 1), 2, 50),
        new("lstm256 N8 T50", Lstm(64, 256, 1), 8, 50),
        new("gru256 N1 T50", new RnnSpec(RnnCellKind.Gru, 64, 256, 1, false, true), 1, 50),
        new("gru512 N1 T50", new RnnSpec(RnnCellKind.Gru, 64, 512, 1, false, true), 1, 50),
        new("bilstm256 N1 T50", new RnnSpec(RnnCellKind.Lstm, 64, 256, 1, true, true), 1, 50),
        new("lstm256 one step", Lstm(64, 256, 1), 1, 1, CarriesState: true),
        new("lstm256 N4 one step", Lstm(64, 256, 1), 4, 1, CarriesState: true),
        new("lstm256 N8 one step", Lstm(64, 256, 1), 8, 1, CarriesState: true),
        new("gru128x2 one step", new RnnSpec(RnnCellKind.Gru, 64, 128, 2, false, true), 1, 1, CarriesState: true),
    ];

    /// <summary>The recurrent weights one step reads: W_hh (and an LSTM projection's W_hr) of every layer and direction.</summary>
    public long RecurrentWeightBytes
    {
        get
        {
            long perDirection = (long)Spec.GateCount * Spec.HiddenSize * Spec.HiddenStateSize + (long)Spec.ProjectionSize * Spec.HiddenSize;
            return perDirection * Spec.NumLayers * Spec.Directions * sizeof(float);
        }
    }

    private static RnnSpec Lstm(int input, int hidden, int layers) => new(RnnCellKind.Lstm, input, hidden, layers, false, true);
}
