namespace RnnNative.Validation;

/// <summary>
/// The validation grid: its axes, a fixed smoke subset, and a seeded sample of the full product. The product
/// (4 cells × 3 depths × 2 directions × 6 sizes × 3 batches × 3 lengths × 4 length patterns × 2^4 switches, and for
/// an LSTM with hidden size above 1 a projection to half its hidden size) has over 80,000 points, too many for the
/// reference to run, so it is sampled: first one case for every value of every axis and for every report group
/// (cell, an LSTM with projection counted apart, × direction × mode), then random cases up to the wanted count. Every draw whose
/// cost exceeds the size's cap is redrawn, which keeps the large sizes to small batches and short sequences.
/// The same seed gives the same cases.
/// </summary>
public static class ValidationGrid
{
    public const int DefaultSeed = 20261122;

    public static IReadOnlyList<RnnCellKind> Cells { get; } = [RnnCellKind.RnnTanh, RnnCellKind.RnnRelu, RnnCellKind.Lstm, RnnCellKind.Gru];
    public static IReadOnlyList<int> LayerCounts { get; } = [1, 2, 3];

    /// <summary>(input, hidden): input 1, hidden 1, input below and above hidden, odd sizes, and a large hidden size.</summary>
    public static IReadOnlyList<(int Input, int Hidden)> Sizes { get; } = [(1, 8), (6, 1), (12, 20), (30, 7), (37, 37), (16, 512)];

    public static IReadOnlyList<int> Batches { get; } = [1, 5, 64];
    public static IReadOnlyList<int> SeqLens { get; } = [1, 7, 50];
    public static IReadOnlyList<LengthPattern> LengthPatterns { get; } = Enum.GetValues<LengthPattern>();
    private static readonly bool[] Switch = [false, true];
    private static readonly RnnMode[] Modes = [RnnMode.Inference, RnnMode.Training];

    private enum Axis { Cell, Layers, Direction, Size, Batch, SeqLen, Lengths, States, Bias, BatchFirst, Mode, Projection }

    private static readonly int[] AxisCounts =
        [Cells.Count, LayerCounts.Count, 2, Sizes.Count, Batches.Count, SeqLens.Count, LengthPatterns.Count, 2, 2, 2, Modes.Length, 2];

    /// <summary>
    /// The projection axis: none, or PyTorch's proj_size = hidden / 2 (which must be at least 1 and below hidden, so an
    /// LSTM of hidden size 1 has none). Half the hidden size keeps h and c of visibly different widths at every size.
    /// </summary>
    public static int ProjectionSizeFor(int hidden) => hidden / 2;

    /// <summary>
    /// Always run: each cell in training with variable lengths, both directions, given states and both layouts, and in
    /// plain inference; small enough to finish in a second or two.
    /// </summary>
    public static IReadOnlyList<ValidationCase> Smoke { get; } =
    [
        new("s01", RnnCellKind.Lstm, 2, true, 5, 7, 4, 6, LengthPattern.OneAndFull, true, true, false, RnnMode.Training, 101),
        new("s02", RnnCellKind.Gru, 2, true, 5, 7, 4, 6, LengthPattern.WithTies, true, true, true, RnnMode.Training, 102),
        new("s03", RnnCellKind.RnnTanh, 2, true, 5, 7, 4, 6, LengthPattern.DistinctUnsorted, true, true, true, RnnMode.Training, 103),
        new("s04", RnnCellKind.RnnRelu, 2, true, 5, 7, 4, 6, LengthPattern.OneAndFull, true, true, false, RnnMode.Training, 104),
        new("s05", RnnCellKind.Lstm, 1, false, 3, 4, 3, 5, LengthPattern.AllEqual, false, true, false, RnnMode.Inference, 105),
        new("s06", RnnCellKind.Gru, 1, false, 3, 4, 3, 5, LengthPattern.AllEqual, false, false, false, RnnMode.Inference, 106),
        new("s07", RnnCellKind.RnnTanh, 3, false, 1, 1, 2, 3, LengthPattern.OneAndFull, false, true, true, RnnMode.Training, 107),
        new("s08", RnnCellKind.RnnRelu, 1, false, 3, 4, 3, 5, LengthPattern.AllEqual, true, true, false, RnnMode.Inference, 108),
        new("s09", RnnCellKind.Lstm, 2, true, 5, 7, 4, 6, LengthPattern.DistinctUnsorted, true, true, true, RnnMode.Training, 109, ProjectionSize: 3),
    ];

    /// <summary>How many sampled cases each size holds (beyond the smoke subset) and the most one case may cost.</summary>
    public static (int SampledCases, double MaxCaseCost) Budget(ValidationGridSize size) => size switch
    {
        ValidationGridSize.Quick => (300, 8e9),
        ValidationGridSize.Full => (600, 10e9),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Unknown grid size."),
    };

    /// <summary>The smoke subset followed by the sampled cases of <paramref name="size"/>.</summary>
    public static IReadOnlyList<ValidationCase> Create(ValidationGridSize size, int seed = DefaultSeed)
    {
        var (count, maxCost) = Budget(size);
        string prefix = size == ValidationGridSize.Quick ? "q" : "f";
        var rng = new Random(seed);
        var cases = new List<ValidationCase>(Smoke);
        var forced = new List<(Axis Axis, int Value)[]>();

        foreach (Axis axis in Enum.GetValues<Axis>())
            for (int value = 0; value < AxisCounts[(int)axis]; value++)
                forced.Add([(axis, value)]);
        for (int cell = 0; cell < Cells.Count; cell++)
        for (int projection = 0; projection < (Cells[cell] == RnnCellKind.Lstm ? 2 : 1); projection++)
        for (int direction = 0; direction < 2; direction++)
        for (int mode = 0; mode < Modes.Length; mode++)
            forced.Add([(Axis.Cell, cell), (Axis.Projection, projection), (Axis.Direction, direction), (Axis.Mode, mode)]);

        for (int i = 0; i < Math.Max(count, forced.Count); i++)
        {
            string id = $"{prefix}{i + 1:D3}";
            cases.Add(Draw(rng, id, i < forced.Count ? forced[i] : [], maxCost));
        }
        return cases;
    }

    /// <summary>A random case with the forced axis values, redrawn until it is meaningful and within the cost cap.</summary>
    private static ValidationCase Draw(Random rng, string id, (Axis Axis, int Value)[] forced, double maxCost)
    {
        var choice = new int[AxisCounts.Length];
        for (int attempt = 0; attempt < 100_000; attempt++)
        {
            for (int a = 0; a < choice.Length; a++) choice[a] = rng.Next(AxisCounts[a]);
            foreach (var (axis, value) in forced) choice[(int)axis] = value;
            int seed = rng.Next();

            var (input, hidden) = Sizes[choice[(int)Axis.Size]];
            int batch = Batches[choice[(int)Axis.Batch]];
            int seqLen = SeqLens[choice[(int)Axis.SeqLen]];
            var pattern = LengthPatterns[choice[(int)Axis.Lengths]];
            if (!pattern.IsMeaningful(batch, seqLen)) continue;
            var cell = Cells[choice[(int)Axis.Cell]];
            bool projected = choice[(int)Axis.Projection] == 1;
            if (projected && (cell != RnnCellKind.Lstm || ProjectionSizeFor(hidden) < 1)) continue;

            var candidate = new ValidationCase(
                id,
                cell,
                LayerCounts[choice[(int)Axis.Layers]],
                Switch[choice[(int)Axis.Direction]],
                input,
                hidden,
                batch,
                seqLen,
                pattern,
                Switch[choice[(int)Axis.States]],
                Switch[choice[(int)Axis.Bias]],
                Switch[choice[(int)Axis.BatchFirst]],
                Modes[choice[(int)Axis.Mode]],
                seed,
                projected ? ProjectionSizeFor(hidden) : 0);
            if (candidate.Cost <= maxCost) return candidate;
        }
        throw new InvalidOperationException($"No affordable grid case has {string.Join(", ", forced.Select(f => $"{f.Axis} #{f.Value}"))}; the cost cap {maxCost:0.#e+0} is too small.");
    }
}
