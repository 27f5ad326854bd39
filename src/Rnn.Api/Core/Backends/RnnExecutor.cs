using System.Numerics.Tensors;
using RnnNative.Extensibility;

namespace RnnNative;

/// <summary>
/// One model prepared on one backend: converted weights, cached primitives or descriptors, scratch memory. The
/// contract is the same for every backend, and it is written here once: argument checks (once per call), disposal
/// checks, and the allocating conveniences over the one inference entry,
/// <see cref="Forward(in RnnInferenceRequest, in RnnOutputBuffers)"/>, which reads and writes caller memory. A backend
/// implements only the core methods.
/// <para>
/// Threads: any number of threads may call one executor at once, inference and training alike: the weights are shared
/// read-only and each call borrows its own scratch. Each call runs on <see cref="RnnExecutorOptions.Threads"/> CPU
/// threads (or the request's <see cref="RnnInferenceRequest.Threads"/>); keep callers × threads ≤ cores, or the calls
/// slow each other down. A training context is used by one backward pass, on the executor that made it.
/// </para>
/// </summary>
public abstract class RnnExecutor : IDisposable
{
    private int _disposed;

    protected RnnExecutor(IRnnBackend backend, RnnSpec spec, RnnExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        Backend = backend;
        Spec = spec;
        Options = options;
    }

    public RnnSpec Spec { get; }
    public IRnnBackend Backend { get; }
    public RnnExecutorOptions Options { get; }

    /// <summary>Whether <see cref="Dispose()"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Whether a call can run on more than one CPU thread. Backends that run each call on its caller's thread say no,
    /// and a request for more than one thread is refused rather than silently ignored.
    /// </summary>
    protected virtual bool RunsCallsOnSeveralThreads => true;

    /// <summary>
    /// Inference over caller memory: reads the request without copying it and writes y, h_n and c_n into
    /// <paramref name="outputs"/>. Built for steady-state serving: with buffers reused across calls it allocates no
    /// managed memory proportional to the batch.
    /// </summary>
    public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        ThrowIfDisposed();
        RnnBatchValidator.Validate(Spec, request, outputs);
        if (request.Threads > 1 && !RunsCallsOnSeveralThreads)
            throw new ArgumentOutOfRangeException(nameof(request), request.Threads,
                $"The {Backend.Name} backend runs each call on its caller's thread; request.Threads must be 0 or 1.");
        ForwardCore(request, outputs);
    }

    /// <summary>
    /// Inference over a dense input tensor, (T, N, I) or (N, T, I) when <paramref name="batchFirst"/>, into output
    /// tensors the caller owns: y in the input's layout, h_n and c_n (L·D, N, ·). No copy of either side.
    /// </summary>
    public void Forward(ReadOnlyTensorSpan<float> input, TensorSpan<float> output, TensorSpan<float> hidden,
        TensorSpan<float> cell = default, bool batchFirst = false) =>
        Forward(new RnnInferenceRequest(input, batchFirst), new RnnOutputBuffers(output, hidden, cell));

    /// <summary>
    /// Runs the model and returns new output tensors. In <see cref="RnnMode.Training"/> the result holds a context for
    /// <see cref="Backward"/> (see <see cref="ForwardForTraining"/>).
    /// </summary>
    public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference)
    {
        if (mode == RnnMode.Training) return ForwardForTraining(input);
        ThrowIfDisposed();
        var shape = RnnBatchValidator.Validate(Spec, input);
        var (y, hn, cn) = AllocateOutputs(shape);
        ForwardCore(ToRequest(input, shape), new RnnOutputBuffers(y.Span, hn.Span, cn is null ? default : cn.Span));
        return new RnnForwardResult(y, hn, cn, null);
    }

    /// <summary>A training forward pass: new output tensors and the context <see cref="Backward"/> consumes (never null).</summary>
    public RnnForwardResult ForwardForTraining(RnnInput input)
    {
        ThrowIfDisposed();
        var shape = RnnBatchValidator.Validate(Spec, input);
        var (y, hn, cn) = AllocateOutputs(shape);
        var context = ForwardForTrainingCore(ToRequest(input, shape), new RnnOutputBuffers(y.Span, hn.Span, cn is null ? default : cn.Span), shape);
        return new RnnForwardResult(y, hn, cn, context);
    }

    /// <summary>
    /// Backpropagation through time: the gradients of sum(y·dy) + sum(h_n·dh_n) + sum(c_n·dc_n) with respect to the
    /// input, h0, c0 and every parameter. The context is consumed.
    /// </summary>
    public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(context);
        context.EnsureUsableBy(this);
        RnnBatchValidator.ValidateGradients(Spec, context.Shape, gradients);
        try
        {
            return BackwardCore(context, gradients);
        }
        finally
        {
            context.Dispose();
        }
    }

    /// <summary>Replaces the weights (for example after an optimizer step) without rebuilding the executor.</summary>
    public void UpdateParameters(RnnParameters parameters)
    {
        ThrowIfDisposed();
        RnnBatchValidator.ValidateParameters(Spec, parameters);
        UpdateParametersCore(parameters);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Inference into validated caller buffers; padded steps of y must be written as zeros.</summary>
    protected abstract void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs);

    /// <summary>A training forward pass into validated, zero-filled buffers; returns what the backward pass needs.</summary>
    protected abstract RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape);

    /// <summary>The backward pass over a validated context (disposed by the caller afterwards) and gradients.</summary>
    protected abstract RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients);

    /// <summary>Replaces the weights with validated parameters of the same spec.</summary>
    protected abstract void UpdateParametersCore(RnnParameters parameters);

    /// <summary>Releases the backend's resources; runs once.</summary>
    protected virtual void Dispose(bool disposing) { }

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private static RnnInferenceRequest ToRequest(RnnInput input, RnnBatchShape shape) =>
        new(input.Input.Span, shape.SeqLen, shape.Batch, shape.BatchFirst)
        {
            Lengths = input.Lengths,
            InitialHidden = input.InitialHidden is null ? default : input.InitialHidden.Span,
            InitialCell = input.InitialCell is null ? default : input.InitialCell.Span,
        };

    private (Tensor<float> Output, Tensor<float> Hidden, Tensor<float>? Cell) AllocateOutputs(RnnBatchShape shape)
    {
        int rows = Spec.NumLayers * Spec.Directions;
        var y = shape.NewSequence(Spec.OutputSize);
        var hn = RnnTensors.Zeros(rows, shape.Batch, Spec.HiddenStateSize);
        var cn = Spec.Cell.HasCellState() ? RnnTensors.Zeros(rows, shape.Batch, Spec.CellStateSize) : null;
        return (y, hn, cn);
    }
}
