namespace RnnNative;

/// <summary>The recurrent cell, with PyTorch's semantics (nn.RNN with tanh or relu, nn.LSTM, nn.GRU).</summary>
public enum RnnCellKind
{
    RnnTanh,
    RnnRelu,
    Lstm,
    Gru,
}

public static class RnnCellKindExtensions
{
    /// <summary>Gate blocks stacked in weight_ih / weight_hh: LSTM i,f,g,o; GRU r,z,n; RNN one.</summary>
    public static int GateCount(this RnnCellKind cell) => cell switch
    {
        RnnCellKind.Lstm => 4,
        RnnCellKind.Gru => 3,
        _ => 1,
    };

    public static bool HasCellState(this RnnCellKind cell) => cell == RnnCellKind.Lstm;

    /// <summary>The name used in model files and on the command line: lstm, gru, rnn_tanh, rnn_relu.</summary>
    public static string ToModeName(this RnnCellKind cell) => cell switch
    {
        RnnCellKind.Lstm => "lstm",
        RnnCellKind.Gru => "gru",
        RnnCellKind.RnnTanh => "rnn_tanh",
        RnnCellKind.RnnRelu => "rnn_relu",
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    public static bool TryParseMode(string? mode, out RnnCellKind cell)
    {
        switch (mode?.Trim().ToLowerInvariant())
        {
            case "lstm": cell = RnnCellKind.Lstm; return true;
            case "gru": cell = RnnCellKind.Gru; return true;
            case "rnn_tanh": case "rnn": case "tanh": cell = RnnCellKind.RnnTanh; return true;
            case "rnn_relu": case "relu": cell = RnnCellKind.RnnRelu; return true;
            default: cell = default; return false;
        }
    }

    public static RnnCellKind ParseMode(string mode) => TryParseMode(mode, out var cell)
        ? cell
        : throw new ArgumentException($"Unknown RNN mode '{mode}'; expected lstm, gru, rnn_tanh or rnn_relu.", nameof(mode));
}
