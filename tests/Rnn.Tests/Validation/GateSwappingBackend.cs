namespace RnnNative.Tests.Validation;

/// <summary>
/// Swaps the first two gate blocks of every weight and bias (LSTM input ↔ forget, GRU reset ↔ update), the classic
/// mistake when converting PyTorch's gate order to a library's own. Vanilla RNNs have one gate and are unaffected;
/// a projection's weight_hr has no gates and is left alone.
/// </summary>
internal sealed class GateSwappingBackend : ManagedWrappingBackend
{
    public override string Name => "gate-swapping-double";

    protected override RnnParameters Corrupt(RnnParameters parameters)
    {
        int hidden = parameters.Spec.HiddenSize;
        if (parameters.Spec.GateCount < 2) return parameters;
        foreach (var info in parameters.Infos)
        {
            // weight_hr has no gates.
            if (info.Kind == RnnParameterKind.WeightHr) continue;
            var tensor = parameters[info.Name];
            // Gate g occupies rows g·H .. (g+1)·H − 1 of a weight, elements of the same range of a bias.
            int block = hidden * (tensor.Rank == 2 ? tensor.Dim(1) : 1);
            var first = tensor.Span.Slice(0, block);
            var second = tensor.Span.Slice(block, block);
            var saved = first.ToArray();
            second.CopyTo(first);
            saved.CopyTo(second);
        }
        return parameters;
    }
}
