namespace RnnNative.Tests.Validation;

/// <summary>
/// Runs every sequence of length 1 as if it had length 2 — the off-by-one a backend makes when it cannot express a
/// one-step sequence. Only batches that contain such a sequence, beside a longer one, are affected.
/// </summary>
internal sealed class LengthOneMishandlingBackend : ManagedWrappingBackend
{
    public override string Name => "length-one-mishandling-double";

    protected override RnnInput Corrupt(RnnInput input)
    {
        if (input.Lengths is null) return input;
        int seqLen = input.BatchFirst ? input.Input.Dim(1) : input.Input.Dim(0);
        if (seqLen < 2) return input;
        return input with { Lengths = input.Lengths.Select(l => l == 1 ? 2 : l).ToArray() };
    }
}
