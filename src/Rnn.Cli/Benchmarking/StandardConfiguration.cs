namespace RnnNative.Cli.Benchmarking;

/// <summary>
/// A named benchmark configuration: the model and the batch geometry (forward inference, time-major, full lengths).
/// <see cref="All"/> are the standard ones the project measures itself by (rnn demo, bench/, the README's table).
/// </summary>
public sealed record StandardConfiguration(string Name, RnnSpec Spec, int Batch, int SeqLen)
{
    public static IReadOnlyList<StandardConfiguration> All { get; } =
    [
        new("lstm-infer", new RnnSpec(RnnCellKind.Lstm, 256, 512, 2), 64, 100),
        new("gru-infer", new RnnSpec(RnnCellKind.Gru, 256, 512, 2), 64, 100),
        new("bilstm-infer", new RnnSpec(RnnCellKind.Lstm, 128, 256, 1, bidirectional: true), 32, 200),
        new("rnn-infer", new RnnSpec(RnnCellKind.RnnTanh, 256, 512, 2), 64, 100),
    ];

    public override string ToString() => Name;
}
