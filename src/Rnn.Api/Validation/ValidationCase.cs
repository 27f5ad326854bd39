using System.Globalization;
using System.Numerics.Tensors;
using RnnNative.Extensibility;

namespace RnnNative.Validation;

/// <summary>
/// One point of the validation grid: a model, a batch geometry, a length pattern, and whether initial states are given,
/// the input is batch-first and gradients are checked, and for an LSTM an optional projection (proj_size). The
/// <see cref="Seed"/> makes its weights and data reproducible.
/// </summary>
public sealed record ValidationCase(
    string Id,
    RnnCellKind Cell,
    int NumLayers,
    bool Bidirectional,
    int InputSize,
    int HiddenSize,
    int Batch,
    int SeqLen,
    LengthPattern Lengths,
    bool WithInitialStates,
    bool HasBias,
    bool BatchFirst,
    RnnMode Mode,
    int Seed,
    int ProjectionSize = 0)
{
    public RnnSpec Spec => new(Cell, InputSize, HiddenSize, NumLayers, Bidirectional, HasBias, ProjectionSize);

    /// <summary>The report groups cases by cell (an LSTM with projection apart) × direction × mode.</summary>
    public string Group => $"{Cell.ToModeName()}{(ProjectionSize > 0 ? " proj" : "")} {(Bidirectional ? "bidirectional" : "unidirectional")} {(Mode == RnnMode.Training ? "training" : "inference")}";

    /// <summary>Unique and readable: the id, then every axis value.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{Id} {Cell.ToModeName()} L{NumLayers} {(Bidirectional ? "bi" : "uni")} in{InputSize} h{HiddenSize}{(ProjectionSize > 0 ? $" p{ProjectionSize}" : "")} N{Batch} T{SeqLen} " +
        $"{Lengths.Label()} {(WithInitialStates ? "h0" : "no-h0")} {(HasBias ? "bias" : "no-bias")} {(BatchFirst ? "batch-first" : "time-major")} " +
        $"{(Mode == RnnMode.Training ? "train" : "infer")} seed{Seed}");

    /// <summary>
    /// Estimated floating-point work of running it once (forward; a backward pass costs about twice a forward one),
    /// plus a charge per parameter for preparing the model and comparing its gradients. Used to keep the grid affordable
    /// for the reference, which runs every case.
    /// </summary>
    public double Cost
    {
        get
        {
            var spec = Spec;
            double parameters = RnnParameterInfo.Enumerate(spec).Sum(p => (double)p.ElementCount);
            return spec.ForwardFlops(Batch, SeqLen) * (Mode == RnnMode.Training ? 3 : 1) + 20 * parameters;
        }
    }

    /// <summary>
    /// The case's weights (PyTorch's default scale, uniform in ±1/√hidden) and its data (uniform in ±1), all drawn
    /// from <see cref="Seed"/>. Values at padded steps of x and dy are random too: a correct backend ignores them.
    /// </summary>
    public ValidationInputs CreateInputs()
    {
        var spec = Spec;
        var rng = new Random(Seed);
        var parameters = RnnParameters.InitializeUniform(spec, rng.Next());
        int[] lengths = Lengths.Generate(Batch, SeqLen, rng);
        int[] xShape = BatchFirst ? [Batch, SeqLen, InputSize] : [SeqLen, Batch, InputSize];
        int[] yShape = BatchFirst ? [Batch, SeqLen, spec.OutputSize] : [SeqLen, Batch, spec.OutputSize];
        int[] hiddenShape = RnnBatchValidator.HiddenStateShape(spec, Batch), cellShape = RnnBatchValidator.CellStateShape(spec, Batch);
        bool hasCell = Cell.HasCellState();

        var x = Uniform(rng, xShape);
        var h0 = WithInitialStates ? Uniform(rng, hiddenShape) : null;
        var c0 = WithInitialStates && hasCell ? Uniform(rng, cellShape) : null;
        var input = new RnnInput(x, lengths, h0, c0, BatchFirst);
        if (Mode == RnnMode.Inference) return new ValidationInputs(parameters, input, null);

        var gradients = new RnnOutputGradients(Uniform(rng, yShape), Uniform(rng, hiddenShape), hasCell ? Uniform(rng, cellShape) : null);
        return new ValidationInputs(parameters, input, gradients);
    }

    public override string ToString() => Name;

    private static Tensor<float> Uniform(Random rng, int[] shape)
    {
        var t = RnnTensors.Zeros(shape);
        var data = t.Span;
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }
}
