namespace RnnNative.Extensibility;

/// <summary>Checks a batch against a spec, once, for every backend. Errors name the argument, the expected and the actual shape.</summary>
public static class RnnBatchValidator
{
    public static RnnBatchShape Validate(RnnSpec spec, RnnInput input)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(input);
        var x = input.Input ?? throw new ArgumentNullException(nameof(input), "The input tensor is missing.");
        string layout = input.BatchFirst ? "(N, T, input_size)" : "(T, N, input_size)";
        if (x.Rank != 3)
            throw new ArgumentException($"input must be 3-D {layout} with input_size {spec.InputSize}; got shape {x.ShapeString}.", "input");
        int seqLen = input.BatchFirst ? x.Dim(1) : x.Dim(0);
        int batch = input.BatchFirst ? x.Dim(0) : x.Dim(1);
        if (x.Dim(2) != spec.InputSize)
            throw new ArgumentException($"input must be {layout} with input_size {spec.InputSize}; got shape {x.ShapeString}.", "input");
        if (seqLen < 1 || batch < 1)
            throw new ArgumentException($"input must have at least one time step and one sequence; got shape {x.ShapeString}.", "input");

        int[] lengths;
        if (input.Lengths is null)
        {
            lengths = Enumerable.Repeat(seqLen, batch).ToArray();
        }
        else
        {
            if (input.Lengths.Length != batch)
                throw new ArgumentException($"lengths must have one entry per sequence ({batch}); got {input.Lengths.Length}.", "lengths");
            for (int n = 0; n < batch; n++)
            {
                int len = input.Lengths[n];
                if (len < 1 || len > seqLen)
                    throw new ArgumentException($"lengths[{n}] = {len} is out of range: each length must be between 1 and the sequence length T = {seqLen}.", "lengths");
            }
            lengths = (int[])input.Lengths.Clone();
        }

        int[] hiddenShape = HiddenStateShape(spec, batch), cellShape = CellStateShape(spec, batch);
        if (input.InitialHidden is { } h0 && !h0.HasShape(hiddenShape))
            throw new ArgumentException($"h0 must have shape {RnnTensors.ShapeToString(hiddenShape)} {HiddenStateAxes(spec)}; got {h0.ShapeString}.", "h0");
        if (input.InitialCell is { } c0)
        {
            if (!spec.Cell.HasCellState())
                throw new ArgumentException($"c0 was given, but a {spec.Cell.ToModeName()} model has no cell state.", "c0");
            if (!c0.HasShape(cellShape))
                throw new ArgumentException($"c0 must have shape {RnnTensors.ShapeToString(cellShape)} (layers·directions, N, hidden); got {c0.ShapeString}.", "c0");
        }
        return new RnnBatchShape(seqLen, batch, lengths, input.BatchFirst);
    }

    /// <summary>
    /// Checks a caller-memory request and its output buffers against a spec, allocating nothing. Every buffer must hold
    /// exactly the elements of its shape (slice larger ones with <see cref="RnnOutputBuffers.Slice"/>).
    /// </summary>
    public static void Validate(RnnSpec spec, in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int seqLen = request.SeqLen, batch = request.Batch;
        if (seqLen < 1 || batch < 1)
            throw new ArgumentException($"A request needs at least one time step and one sequence; got seq_len {seqLen}, batch {batch}.", "request");
        if (request.Threads < 0)
            throw new ArgumentOutOfRangeException("request", request.Threads, "Threads must be 0 (the executor's) or more.");
        string layout = request.BatchFirst ? "(N, T, input_size)" : "(T, N, input_size)";
        RequireLength(request.Input.Length, (long)seqLen * batch * spec.InputSize, "input",
            $"{layout} = ({(request.BatchFirst ? batch : seqLen)}, {(request.BatchFirst ? seqLen : batch)}, {spec.InputSize})");
        if (!request.Lengths.IsEmpty)
        {
            if (request.Lengths.Length != batch)
                throw new ArgumentException($"lengths must have one entry per sequence ({batch}); got {request.Lengths.Length}.", "lengths");
            var lengths = request.Lengths;
            for (int n = 0; n < batch; n++)
            {
                int len = lengths[n];
                if (len < 1 || len > seqLen)
                    throw new ArgumentException($"lengths[{n}] = {len} is out of range: each length must be between 1 and the sequence length T = {seqLen}.", "lengths");
            }
        }
        int rows = spec.NumLayers * spec.Directions;
        long hiddenStates = (long)rows * batch * spec.HiddenStateSize, cellStates = (long)rows * batch * spec.CellStateSize;
        string hiddenShape = $"{HiddenStateAxes(spec)} = ({rows}, {batch}, {spec.HiddenStateSize})";
        string cellShape = $"(layers·directions, N, hidden) = ({rows}, {batch}, {spec.CellStateSize})";
        bool hasCell = spec.Cell.HasCellState();
        if (!request.InitialHidden.IsEmpty) RequireLength(request.InitialHidden.Length, hiddenStates, "h0", hiddenShape);
        if (!request.InitialCell.IsEmpty)
        {
            if (!hasCell) throw new ArgumentException($"c0 was given, but a {spec.Cell.ToModeName()} model has no cell state.", "c0");
            RequireLength(request.InitialCell.Length, cellStates, "c0", cellShape);
        }
        string width = spec.HasProjection ? "D·proj" : "D·hidden";
        string outLayout = request.BatchFirst ? $"(N, T, {width})" : $"(T, N, {width})";
        RequireLength(outputs.Output.Length, (long)seqLen * batch * spec.OutputSize, "output", outLayout);
        RequireLength(outputs.Hidden.Length, hiddenStates, "h_n", hiddenShape);
        if (!outputs.Cell.IsEmpty)
        {
            if (!hasCell) throw new ArgumentException($"a c_n buffer was given, but a {spec.Cell.ToModeName()} model has no cell state.", "c_n");
            RequireLength(outputs.Cell.Length, cellStates, "c_n", cellShape);
        }
    }

    /// <summary>h states are (L·D, N, S): S is proj_size for an LSTM with a projection, else hidden_size.</summary>
    public static int[] HiddenStateShape(RnnSpec spec, int batch) => [spec.NumLayers * spec.Directions, batch, spec.HiddenStateSize];

    /// <summary>c states are (L·D, N, hidden_size), with or without a projection.</summary>
    public static int[] CellStateShape(RnnSpec spec, int batch) => [spec.NumLayers * spec.Directions, batch, spec.CellStateSize];

    private static string HiddenStateAxes(RnnSpec spec) => spec.HasProjection ? "(layers·directions, N, proj_size)" : "(layers·directions, N, hidden)";

    private static void RequireLength(int actual, long expected, string name, string shape)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} must hold {expected} elements {shape}; got {actual}.", name);
    }

    /// <summary>Checks output gradients against the forward result they belong to.</summary>
    public static void ValidateGradients(RnnSpec spec, RnnBatchShape shape, RnnOutputGradients grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        int[] yShape = shape.BatchFirst ? [shape.Batch, shape.SeqLen, spec.OutputSize] : [shape.SeqLen, shape.Batch, spec.OutputSize];
        int[] hiddenShape = HiddenStateShape(spec, shape.Batch), cellShape = CellStateShape(spec, shape.Batch);
        if (grads.Output is { } dy && !dy.HasShape(yShape))
            throw new ArgumentException($"grad_output must have the output's shape {RnnTensors.ShapeToString(yShape)}; got {dy.ShapeString}.", "gradOutput");
        if (grads.Hidden is { } dh && !dh.HasShape(hiddenShape))
            throw new ArgumentException($"grad_hn must have shape {RnnTensors.ShapeToString(hiddenShape)}; got {dh.ShapeString}.", "gradHn");
        if (grads.Cell is { } dc)
        {
            if (!spec.Cell.HasCellState())
                throw new ArgumentException($"grad_cn was given, but a {spec.Cell.ToModeName()} model has no cell state.", "gradCn");
            if (!dc.HasShape(cellShape))
                throw new ArgumentException($"grad_cn must have shape {RnnTensors.ShapeToString(cellShape)}; got {dc.ShapeString}.", "gradCn");
        }
    }

    /// <summary>Checks that parameters belong to the spec an executor was built for.</summary>
    public static void ValidateParameters(RnnSpec spec, RnnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Spec != spec)
            throw new ArgumentException($"The parameters describe {parameters.Spec}, but the executor runs {spec}.", nameof(parameters));
    }
}
