namespace RnnNative;

/// <summary>
/// An immutable description of a (possibly stacked, possibly bidirectional) recurrent layer, as PyTorch's
/// nn.RNN / nn.LSTM / nn.GRU constructor arguments describe it. Gates, directions, parameter shapes and FLOPs derive from it.
/// <para>
/// An LSTM may project its hidden state (PyTorch's <c>proj_size</c>): h_t = W_hr·(o ⊙ tanh c_t), so h states, the
/// layer output and the next layer's input have <see cref="ProjectionSize"/> P per direction while c states keep
/// <see cref="HiddenSize"/> H; weight_hh is (4H, P) and weight_hr (P, H).
/// </para>
/// </summary>
public sealed record RnnSpec
{
    /// <summary>PyTorch's constructor arguments; <c>projectionSize</c> is <c>proj_size</c>: 0 for none, else LSTM only with 1 ≤ P &lt; hidden size.</summary>
    public RnnSpec(RnnCellKind cell, int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, bool hasBias = true,
        int projectionSize = 0)
    {
        if (!Enum.IsDefined(cell)) throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown cell kind.");
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Input size must be at least 1.");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "Hidden size must be at least 1.");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, "Number of layers must be at least 1.");
        if (projectionSize < 0)
            throw new ArgumentOutOfRangeException(nameof(projectionSize), projectionSize, "Projection size must be 0 (none) or positive.");
        if (projectionSize > 0 && cell != RnnCellKind.Lstm)
            throw new ArgumentOutOfRangeException(nameof(projectionSize), projectionSize,
                $"Only an LSTM has projections (proj_size); a {cell.ToModeName()} cannot have proj_size = {projectionSize}.");
        if (projectionSize >= hiddenSize)
            throw new ArgumentOutOfRangeException(nameof(projectionSize), projectionSize,
                $"proj_size must be smaller than hidden_size, as in PyTorch; got proj_size = {projectionSize}, hidden_size = {hiddenSize}.");
        CheckParameterSizes(cell, inputSize, hiddenSize, numLayers, bidirectional, projectionSize);
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bidirectional = bidirectional;
        HasBias = hasBias;
        ProjectionSize = projectionSize;
    }

    /// <summary>
    /// Every parameter tensor and the whole flat parameter buffer must fit in one .NET array: sizes from an untrusted
    /// model file must fail here, with the size named, rather than overflow into nonsense shapes later.
    /// </summary>
    private static void CheckParameterSizes(RnnCellKind cell, int inputSize, int hiddenSize, int numLayers, bool bidirectional, int projectionSize)
    {
        long gh = (long)cell.GateCount() * hiddenSize;
        long directions = bidirectional ? 2 : 1;
        long state = projectionSize > 0 ? projectionSize : hiddenSize;
        long widest = Math.Max(inputSize, directions * state);
        long total = 0;
        for (int layer = 0; layer < numLayers; layer++)
        {
            long k = layer == 0 ? inputSize : directions * state;
            total += directions * (gh * (k + state + 2) + (projectionSize > 0 ? state * hiddenSize : 0));
            if (total > Array.MaxLength) break;
        }
        if (gh * widest > Array.MaxLength || gh * hiddenSize > Array.MaxLength || total > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize,
                $"The sizes are too large: a {cell.ToModeName()} with input size {inputSize}, hidden size {hiddenSize} and {numLayers} layer(s) " +
                $"would have more than {Array.MaxLength} parameters (the most one array holds).");
    }

    public RnnCellKind Cell { get; }
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool Bidirectional { get; }
    public bool HasBias { get; }
    /// <summary>PyTorch's <c>proj_size</c>: the width h is projected to, or 0 when the LSTM has no projection.</summary>
    public int ProjectionSize { get; }

    public bool HasProjection => ProjectionSize > 0;
    public int Directions => Bidirectional ? 2 : 1;
    public int GateCount => Cell.GateCount();
    /// <summary>Width of one direction's h state and output: the projection size when projecting, else the hidden size.</summary>
    public int HiddenStateSize => HasProjection ? ProjectionSize : HiddenSize;
    /// <summary>Width of one direction's c state (LSTM): always the hidden size.</summary>
    public int CellStateSize => HiddenSize;
    /// <summary>Width of one time step of the output: directions × h state size.</summary>
    public int OutputSize => Directions * HiddenStateSize;

    /// <summary>Layer k &gt; 0 reads the previous layer's concatenated output.</summary>
    public int LayerInputSize(int layer)
    {
        if ((uint)layer >= (uint)NumLayers) throw new ArgumentOutOfRangeException(nameof(layer));
        return layer == 0 ? InputSize : OutputSize;
    }

    /// <summary>
    /// Floating-point operations of one forward pass over a full batch: per layer and direction 2·G·H·(in + S)·N·T, where S
    /// is the h state size, plus the projection's 2·P·H·N·T.
    /// </summary>
    public double ForwardFlops(int batch, int seqLen)
    {
        double total = 0;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            double perStep = 2.0 * GateCount * HiddenSize * (LayerInputSize(layer) + HiddenStateSize)
                + (HasProjection ? 2.0 * ProjectionSize * HiddenSize : 0);
            total += perStep * batch * seqLen * Directions;
        }
        return total;
    }

    public override string ToString() =>
        $"{Cell.ToModeName()}(input={InputSize}, hidden={HiddenSize}, layers={NumLayers}{(Bidirectional ? ", bidirectional" : "")}{(HasBias ? "" : ", no bias")}{(HasProjection ? $", proj={ProjectionSize}" : "")})";
}
