namespace RnnNative;

/// <summary>
/// An immutable description of a (possibly stacked, possibly bidirectional) recurrent layer, as PyTorch's
/// nn.RNN / nn.LSTM / nn.GRU constructor arguments describe it. Gates, directions, parameter shapes and FLOPs derive from it.
/// </summary>
public sealed record RnnSpec
{
    public RnnSpec(RnnCellKind cell, int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, bool hasBias = true)
    {
        if (!Enum.IsDefined(cell)) throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown cell kind.");
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Input size must be at least 1.");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "Hidden size must be at least 1.");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, "Number of layers must be at least 1.");
        CheckParameterSizes(cell, inputSize, hiddenSize, numLayers, bidirectional);
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bidirectional = bidirectional;
        HasBias = hasBias;
    }

    /// <summary>
    /// Every parameter tensor and the whole flat parameter buffer must fit in one .NET array: sizes from an untrusted
    /// model file must fail here, with the size named, rather than overflow into nonsense shapes later.
    /// </summary>
    private static void CheckParameterSizes(RnnCellKind cell, int inputSize, int hiddenSize, int numLayers, bool bidirectional)
    {
        long gh = (long)cell.GateCount() * hiddenSize;
        long directions = bidirectional ? 2 : 1;
        long widest = Math.Max(inputSize, directions * hiddenSize);
        long total = 0;
        for (int layer = 0; layer < numLayers; layer++)
        {
            long k = layer == 0 ? inputSize : directions * hiddenSize;
            total += directions * gh * (k + hiddenSize + 2);
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

    public int Directions => Bidirectional ? 2 : 1;
    public int GateCount => Cell.GateCount();
    /// <summary>Width of one time step of the output: directions × hidden.</summary>
    public int OutputSize => Directions * HiddenSize;

    /// <summary>Layer k &gt; 0 reads the previous layer's concatenated output.</summary>
    public int LayerInputSize(int layer)
    {
        if ((uint)layer >= (uint)NumLayers) throw new ArgumentOutOfRangeException(nameof(layer));
        return layer == 0 ? InputSize : OutputSize;
    }

    /// <summary>Floating-point operations of one forward pass over a full batch (2·G·H·(in + H)·N·T per layer and direction).</summary>
    public double ForwardFlops(int batch, int seqLen)
    {
        double total = 0;
        for (int layer = 0; layer < NumLayers; layer++)
            total += 2.0 * GateCount * HiddenSize * (LayerInputSize(layer) + HiddenSize) * batch * seqLen * Directions;
        return total;
    }

    public override string ToString() =>
        $"{Cell.ToModeName()}(input={InputSize}, hidden={HiddenSize}, layers={NumLayers}{(Bidirectional ? ", bidirectional" : "")}{(HasBias ? "" : ", no bias")})";
}
