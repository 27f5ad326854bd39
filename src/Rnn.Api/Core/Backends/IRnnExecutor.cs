namespace RnnNative;

/// <summary>
/// One model prepared on one backend: converted weights, cached primitives or descriptors, scratch memory.
/// The contract is identical for every backend. Any number of threads may call one executor at once, inference and
/// training alike: the weights are shared read-only and each call borrows its own scratch, so weight memory does not
/// grow with the number of callers. Each call runs on <see cref="RnnExecutorOptions.Threads"/> CPU threads (or the
/// request's <see cref="RnnInferenceRequest.Threads"/>); keep callers × threads ≤ cores, or the calls slow each
/// other down. A training context is used by one backward pass, on the executor that made it.
/// </summary>
public interface IRnnExecutor : IDisposable
{
    RnnSpec Spec { get; }
    IRnnBackend Backend { get; }
    RnnExecutorOptions Options { get; }

    /// <summary>Runs the model. In <see cref="RnnMode.Training"/> the result holds a context for <see cref="Backward"/>.</summary>
    RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference);

    /// <summary>
    /// Inference over caller memory: reads the request without copying it and writes y, h_n and c_n into
    /// <paramref name="outputs"/>. Built for steady-state serving: with buffers reused across calls it allocates no
    /// managed memory proportional to the batch.
    /// </summary>
    void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs);

    /// <summary>
    /// Backpropagation through time: the gradients of sum(y·dy) + sum(h_n·dh_n) + sum(c_n·dc_n) with respect to the
    /// input, h0, c0 and every parameter. The context is consumed.
    /// </summary>
    RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients);

    /// <summary>Replaces the weights (for example after an optimizer step) without rebuilding the executor.</summary>
    void UpdateParameters(RnnParameters parameters);
}
