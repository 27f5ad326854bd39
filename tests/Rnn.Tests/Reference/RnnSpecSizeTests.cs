namespace RnnNative.Tests.Reference;

/// <summary>Sizes whose parameter count cannot fit one array are refused by the spec itself, naming the problem.</summary>
public class RnnSpecSizeTests
{
    [TestCase(RnnCellKind.Lstm, 4, 1 << 30, 1)]
    [TestCase(RnnCellKind.Gru, 1 << 30, 4, 1)]
    [TestCase(RnnCellKind.RnnTanh, 8, 40000, 2)]
    public void SpecsWhoseParametersOverflowAreRefusedAsTooLarge(RnnCellKind cell, int input, int hidden, int layers)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RnnSpec(cell, input, hidden, layers))!;
        Assert.That(e.Message, Does.Contain("too large"));
    }

    [Test]
    public void TheLargestSpecsThatFitAreAccepted() =>
        Assert.That(new RnnSpec(RnnCellKind.RnnTanh, 8, 30000, 1).HiddenSize, Is.EqualTo(30000));
}
