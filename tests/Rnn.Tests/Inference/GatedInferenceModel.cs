using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Tests.Inference;

/// <summary>
/// A test double: labels each token record with its first token, except that the batch holding the record with id
/// <c>gatedId</c> waits until <see cref="Open"/> is called. It shows which results an engine returns while one batch
/// is still running, without any timing.
/// </summary>
internal sealed class GatedInferenceModel(long gatedId) : InferenceModel
{
    private readonly ManualResetEventSlim _gate = new(false);

    /// <summary>Completes when the gated batch has started and is waiting.</summary>
    public TaskCompletionSource GatedBatchStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the gated batch has returned its results.</summary>
    public bool GatedBatchFinished { get; private set; }

    public void Open() => _gate.Set();

    public override ModelKind? Kind => ModelKind.Classifier;

    public override string Description => "gated test model";

    internal override string? Check(PredictionRecord record) => record.Tokens is { Length: > 0 } ? null : "empty sequence";

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        if (batch.Any(r => r.Id?.Number == gatedId))
        {
            GatedBatchStarted.TrySetResult();
            _gate.Wait();
            GatedBatchFinished = true;
        }
        return batch.Select(r => new PredictionResult(r) { Label = r.Tokens![0] }).ToArray();
    }

    private protected override void Release() => _gate.Dispose();
}
