using RnnNative.Validation;

namespace RnnNative.Tests.Validation;

/// <summary>The grid is reproducible, covers every value of every axis in both sizes, and stays within its cost cap.</summary>
public class ValidationGridTests
{
    private static IEnumerable<ValidationGridSize> Sizes() => Enum.GetValues<ValidationGridSize>();

    /// <summary>Superset: the smoke subset adds a few sizes of its own.</summary>
    [TestCaseSource(nameof(Sizes))]
    public void EveryValueOfEveryAxisAppears(ValidationGridSize size)
    {
        var cases = ValidationGrid.Create(size);
        Assert.Multiple(() =>
        {
            Assert.That(cases.Select(c => c.Cell).Distinct(), Is.SupersetOf(ValidationGrid.Cells), "cells");
            Assert.That(cases.Select(c => c.NumLayers).Distinct(), Is.SupersetOf(ValidationGrid.LayerCounts), "layers");
            Assert.That(cases.Select(c => (c.InputSize, c.HiddenSize)).Distinct(), Is.SupersetOf(ValidationGrid.Sizes), "sizes");
            Assert.That(cases.Select(c => c.Batch).Distinct(), Is.SupersetOf(ValidationGrid.Batches), "batches");
            Assert.That(cases.Select(c => c.SeqLen).Distinct(), Is.SupersetOf(ValidationGrid.SeqLens), "sequence lengths");
            Assert.That(cases.Select(c => c.Lengths).Distinct(), Is.SupersetOf(ValidationGrid.LengthPatterns), "length patterns");
            foreach (var (name, axis) in new (string, Func<ValidationCase, bool>)[]
                     {
                         ("bidirectional", c => c.Bidirectional), ("initial states", c => c.WithInitialStates), ("bias", c => c.HasBias),
                         ("batch-first", c => c.BatchFirst), ("training", c => c.Mode == RnnMode.Training),
                     })
                Assert.That(cases.Select(axis).Distinct().Count(), Is.EqualTo(2), name);
            Assert.That(cases.Select(c => c.Group).Distinct().Count(), Is.EqualTo(5 * 2 * 2), "every cell (and projected LSTM) × direction × mode group");
            var projected = cases.Where(c => c.ProjectionSize > 0).ToList();
            Assert.That(projected.Select(c => c.Cell).Distinct(), Is.EqualTo(new[] { RnnCellKind.Lstm }), "only LSTMs project");
            Assert.That(projected.All(c => c.ProjectionSize < c.HiddenSize), "proj_size below hidden_size");
            Assert.That(projected.Select(c => (c.NumLayers, c.Bidirectional, c.Mode, c.WithInitialStates)).Distinct().Count(), Is.GreaterThan(8),
                "projections across depths, directions, modes and states");
        });
    }

    [Test]
    public void TheSameSeedGivesTheSameCasesAndAnotherSeedOthers()
    {
        var first = ValidationGrid.Create(ValidationGridSize.Quick, 7);
        var again = ValidationGrid.Create(ValidationGridSize.Quick, 7);
        var other = ValidationGrid.Create(ValidationGridSize.Quick, 8);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other.Except(ValidationGrid.Smoke), Is.Not.EqualTo(first.Except(ValidationGrid.Smoke)));
        // The data too, for the cheap cases (drawing a hidden-512 model's weights takes a while).
        var cheap = first.Zip(again).Where(p => p.First.Cost < 1e6).Take(40).ToList();
        Assert.That(cheap, Has.Count.EqualTo(40));
        foreach (var (a, b) in cheap)
        {
            ValidationInputs x = a.CreateInputs(), y = b.CreateInputs();
            Assert.That(x.Input.Lengths, Is.EqualTo(y.Input.Lengths), a.Name);
            Assert.That(x.Input.Input.Span.ToArray(), Is.EqualTo(y.Input.Input.Span.ToArray()), a.Name);
            Assert.That(x.Parameters.Tensors.Select(t => t.Value.Span.ToArray()), Is.EqualTo(y.Parameters.Tensors.Select(t => t.Value.Span.ToArray())), a.Name);
        }
    }

    [TestCaseSource(nameof(Sizes))]
    public void SizeHasItsCountStartsWithTheSmokeSubsetAndRespectsTheCostCap(ValidationGridSize size)
    {
        var cases = ValidationGrid.Create(size);
        var (sampled, maxCost) = ValidationGrid.Budget(size);
        Assert.Multiple(() =>
        {
            Assert.That(cases.Take(ValidationGrid.Smoke.Count), Is.EqualTo(ValidationGrid.Smoke));
            Assert.That(cases, Has.Count.EqualTo(ValidationGrid.Smoke.Count + sampled));
            Assert.That(cases.Select(c => c.Name), Is.Unique);
            Assert.That(cases.Skip(ValidationGrid.Smoke.Count).Max(c => c.Cost), Is.LessThanOrEqualTo(maxCost));
        });
    }

    [Test]
    public void FullGridHasHundredsOfCasesAndMoreThanQuick()
    {
        int quick = ValidationGrid.Create(ValidationGridSize.Quick).Count;
        int full = ValidationGrid.Create(ValidationGridSize.Full).Count;
        Assert.That(full, Is.GreaterThanOrEqualTo(300).And.GreaterThan(quick));
    }

    [Test]
    public void LengthPatternsProduceWhatTheyPromise()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int batch = rng.Next(2, 70), seqLen = rng.Next(2, 60);
            var distinct = LengthPattern.DistinctUnsorted.Generate(batch, seqLen, rng);
            var ties = LengthPattern.WithTies.Generate(batch, seqLen, rng);
            var oneAndFull = LengthPattern.OneAndFull.Generate(batch, seqLen, rng);
            var all = new[] { distinct, ties, oneAndFull, LengthPattern.AllEqual.Generate(batch, seqLen, rng) };
            Assert.That(all.SelectMany(l => l), Is.All.InRange(1, seqLen));
            Assert.That(distinct.Distinct().Count(), Is.EqualTo(Math.Min(batch, seqLen)), "as many distinct lengths as T allows");
            Assert.That(distinct, Is.Not.EqualTo(distinct.OrderDescending()), "not in PyTorch's sorted order");
            Assert.That(ties.GroupBy(l => l).Any(g => g.Count() > 1 && g.Key < seqLen), "a tie below T");
            Assert.That(oneAndFull, Does.Contain(1).And.Contain(seqLen));
        }
    }

    [Test]
    public void VariableLengthPatternsNeedTwoSequencesAndTwoSteps()
    {
        Assert.That(() => LengthPattern.WithTies.Generate(1, 7, new Random(1)), Throws.ArgumentException);
        Assert.That(() => LengthPattern.OneAndFull.Generate(5, 1, new Random(1)), Throws.ArgumentException);
        Assert.That(LengthPattern.AllEqual.Generate(1, 1, new Random(1)), Is.EqualTo(new[] { 1 }));
    }
}
