namespace RnnNative;

/// <summary>
/// One model prepared on one backend: converted weights, cached primitives or descriptors, scratch memory.
/// The contract is identical for every backend. Inference calls may be made from several threads at once;
/// training calls (forward in training mode, then backward) are made by one thread at a time.
/// </summary>
public interface IRnnExecutor : IDisposable
{
    RnnSpec Spec { get; }
    IRnnBackend Backend { get; }
    RnnExecutorOptions Options { get; }

    /// <summary>Runs the model. In <see cref="RnnMode.Training"/> the result holds a context for <see cref="Backward"/>.</summary>
    RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference);

    /// <summary>
    /// Backpropagation through time: the gradients of sum(y·dy) + sum(h_n·dh_n) + sum(c_n·dc_n) with respect to the
    /// input, h0, c0 and every parameter. The context is consumed.
    /// </summary>
    RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients);

    /// <summary>Replaces the weights (for example after an optimizer step) without rebuilding the executor.</summary>
    void UpdateParameters(RnnParameters parameters);
}
