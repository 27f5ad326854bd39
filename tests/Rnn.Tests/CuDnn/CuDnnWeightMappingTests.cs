using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>The PyTorch → cuDNN (pseudoLayer, linLayerID) table, checked against the layout rules in cuDNN's documentation.</summary>
public class CuDnnWeightMappingTests
{
    public static IEnumerable<RnnSpec> Specs()
    {
        foreach (var cell in Enum.GetValues<RnnCellKind>())
        {
            yield return new RnnSpec(cell, 3, 5, 2, bidirectional: true);
            yield return new RnnSpec(cell, 7, 4, 1, bidirectional: false, hasBias: false);
        }
        yield return new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true, projectionSize: 2);
        yield return new RnnSpec(RnnCellKind.Lstm, 7, 4, 1, bidirectional: false, hasBias: false, projectionSize: 3);
    }

    [TestCaseSource(nameof(Specs))]
    public void EveryParameterElementIsCoveredExactlyOnce(RnnSpec spec)
    {
        var coverage = RnnParameterInfo.Enumerate(spec).ToDictionary(i => i.Name, i => new int[i.ElementCount]);
        foreach (var block in CuDnnWeightMapping.For(spec))
            for (int i = 0; i < block.ElementCount; i++)
                coverage[block.Parameter][block.SourceOffset + i]++;
        foreach (var (name, counts) in coverage)
            Assert.That(counts, Is.All.EqualTo(1), $"{name} of {spec}");
    }

    [TestCaseSource(nameof(Specs))]
    public void EachPseudoLayerHasTwoGateGroupsOfLinLayerIds(RnnSpec spec)
    {
        var blocks = CuDnnWeightMapping.For(spec);
        int pseudoLayers = spec.NumLayers * spec.Directions;
        int perBlock = spec.HasBias ? 2 : 1;
        int projection = spec.HasProjection ? 1 : 0;
        Assert.That(blocks, Has.Count.EqualTo(pseudoLayers * (2 * spec.GateCount * perBlock + projection)));
        Assert.That(blocks.Select(b => b.PseudoLayer).Distinct().Order(), Is.EqualTo(Enumerable.Range(0, pseudoLayers)));
        var ids = Enumerable.Range(0, 2 * spec.GateCount).Concat(spec.HasProjection ? [CuDnnWeightMapping.ProjectionLinLayerId] : []);
        Assert.That(blocks.Select(b => b.LinLayerId).Distinct().Order(), Is.EqualTo(ids));
    }

    [Test]
    public void LstmGatesKeepPyTorchOrderInputForgetCellOutput()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true);
        var blocks = CuDnnWeightMapping.For(spec);
        // linLayerID 1 = forget gate of the input matrix: rows 5..9 of weight_ih_l0, i.e. from element 5·3.
        var forget = blocks.Single(b => b is { PseudoLayer: 0, LinLayerId: 1, IsBias: false });
        Assert.That((forget.Parameter, forget.Gate, forget.SourceOffset, forget.Rows, forget.Columns), Is.EqualTo(("weight_ih_l0", 1, 15, 5, 3)));
        // linLayerID 6 = cell candidate g of the recurrent matrix, layer 1 reverse = pseudoLayer 3; deeper layers read 2·H inputs.
        var candidate = blocks.Single(b => b is { PseudoLayer: 3, LinLayerId: 6, IsBias: false });
        Assert.That((candidate.Parameter, candidate.Gate, candidate.SourceOffset, candidate.Columns), Is.EqualTo(("weight_hh_l1_reverse", 2, 50, 5)));
        var inputOfLayer1 = blocks.Single(b => b is { PseudoLayer: 2, LinLayerId: 3, IsBias: false });
        Assert.That((inputOfLayer1.Parameter, inputOfLayer1.SourceOffset, inputOfLayer1.Columns), Is.EqualTo(("weight_ih_l1", 150, 10)));
        var outputBias = blocks.Single(b => b is { PseudoLayer: 1, LinLayerId: 7, IsBias: true });
        Assert.That((outputBias.Parameter, outputBias.SourceOffset, outputBias.Rows, outputBias.Columns), Is.EqualTo(("bias_hh_l0_reverse", 15, 5, 1)));
    }

    [Test]
    public void LstmProjectionIsLinLayer8AndNarrowsTheRecurrentAndDeeperInputs()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true, projectionSize: 2);
        var blocks = CuDnnWeightMapping.For(spec);
        // W_hr is one P × H matrix per pseudo-layer, all of weight_hr, with no bias.
        var projection = blocks.Where(b => b.LinLayerId == CuDnnWeightMapping.ProjectionLinLayerId).ToList();
        Assert.That(projection.Select(b => (b.PseudoLayer, b.Parameter, b.IsBias, b.SourceOffset, b.Rows, b.Columns)), Is.EqualTo(new[]
        {
            (0, "weight_hr_l0", false, 0, 2, 5), (1, "weight_hr_l0_reverse", false, 0, 2, 5),
            (2, "weight_hr_l1", false, 0, 2, 5), (3, "weight_hr_l1_reverse", false, 0, 2, 5),
        }));
        // Recurrent gate g of weight_hh (4H × P) starts at g·H·P and has P columns.
        var recurrentOutput = blocks.Single(b => b is { PseudoLayer: 1, LinLayerId: 7, IsBias: false });
        Assert.That((recurrentOutput.Parameter, recurrentOutput.SourceOffset, recurrentOutput.Rows, recurrentOutput.Columns),
            Is.EqualTo(("weight_hh_l0_reverse", 3 * 5 * 2, 5, 2)));
        // Layer 1 reads both directions' projected outputs: 2·P columns.
        var inputOfLayer1 = blocks.Single(b => b is { PseudoLayer: 2, LinLayerId: 1, IsBias: false });
        Assert.That((inputOfLayer1.Parameter, inputOfLayer1.SourceOffset, inputOfLayer1.Columns), Is.EqualTo(("weight_ih_l1", 5 * 4, 4)));
        // Gate biases stay H long.
        Assert.That(blocks.Where(b => b.IsBias).Select(b => b.Rows), Is.All.EqualTo(5));
    }

    [Test]
    public void DescriptorProjSizeIsProjSizeOrHiddenSize()
    {
        Assert.That(CuDnnRnnDescriptor.ProjSize(new RnnSpec(RnnCellKind.Lstm, 3, 5, projectionSize: 2)), Is.EqualTo(2));
        Assert.That(CuDnnRnnDescriptor.ProjSize(new RnnSpec(RnnCellKind.Lstm, 3, 5)), Is.EqualTo(5));
        Assert.That(CuDnnRnnDescriptor.ProjSize(new RnnSpec(RnnCellKind.Gru, 3, 6)), Is.EqualTo(6));
    }

    [Test]
    public void GruGatesKeepPyTorchOrderResetUpdateNew()
    {
        var blocks = CuDnnWeightMapping.For(new RnnSpec(RnnCellKind.Gru, 2, 4));
        var reset = blocks.Single(b => b is { LinLayerId: 0, IsBias: false });
        var newGateRecurrent = blocks.Single(b => b is { LinLayerId: 5, IsBias: false });
        var updateBiasRecurrent = blocks.Single(b => b is { LinLayerId: 4, IsBias: true });
        Assert.That((reset.Parameter, reset.SourceOffset), Is.EqualTo(("weight_ih_l0", 0)));
        Assert.That((newGateRecurrent.Parameter, newGateRecurrent.SourceOffset), Is.EqualTo(("weight_hh_l0", 2 * 4 * 4)));
        Assert.That((updateBiasRecurrent.Parameter, updateBiasRecurrent.SourceOffset), Is.EqualTo(("bias_hh_l0", 4)));
    }

    [Test]
    public void VanillaRnnHasOneInputAndOneRecurrentMatrix()
    {
        var blocks = CuDnnWeightMapping.For(new RnnSpec(RnnCellKind.RnnRelu, 2, 4));
        Assert.That(blocks.Where(b => !b.IsBias).Select(b => (b.LinLayerId, b.Parameter)),
            Is.EqualTo(new[] { (0, "weight_ih_l0"), (1, "weight_hh_l0") }));
    }

    [Test]
    public void NoBiasModelsHaveNoBiasBlocks()
    {
        var blocks = CuDnnWeightMapping.For(new RnnSpec(RnnCellKind.Lstm, 2, 4, hasBias: false));
        Assert.That(blocks.Any(b => b.IsBias), Is.False);
    }
}
