using RnnNative.Models;

namespace RnnNative.Training;

/// <summary>
/// The training step of the ready models: a loss over their logits, backpropagation, gradient clipping and the
/// optimizer's update, pushed back to the backend's executors.
/// </summary>
public static class ModelTraining
{
    /// <summary>Clips the accumulated gradients, steps the optimizer and pushes the new weights to the backend. Returns the gradient norm before clipping.</summary>
    public static double ApplyGradients(this SequenceModel model, Optimizer optimizer, TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        settings ??= TrainingSettings.Default;
        double norm = settings.MaxGradientNorm is { } maxNorm
            ? GradientClipping.ClipByGlobalNorm(model.Parameters, maxNorm)
            : GradientClipping.GlobalNorm(model.Parameters);
        if (settings.MaxGradientValue is { } limit) GradientClipping.ClipByValue(model.Parameters, limit);
        optimizer.Step(model.Parameters);
        model.PushParameters();
        return norm;
    }

    /// <summary>Softmax cross-entropy over the classes; forward and backward for one batch, accumulating gradients (no update). Returns the mean loss.</summary>
    public static double ComputeGradients(this SequenceClassifier model, TokenBatch batch, int[] labels, float[]? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        LayerShapes.RequireLength(labels, nameof(labels), batch.Batch);
        LossResult? loss = null;
        model.Backpropagate(batch, logits => (loss = SoftmaxCrossEntropy.Compute(logits, labels, classWeights: classWeights)).Gradient);
        return loss!.Value;
    }

    public static double TrainStep(this SequenceClassifier model, TokenBatch batch, int[] labels, Optimizer optimizer, TrainingSettings? settings = null, float[]? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ZeroGradients();
        double loss = model.ComputeGradients(batch, labels, classWeights);
        model.ApplyGradients(optimizer, settings);
        return loss;
    }

    /// <summary>Per-step softmax cross-entropy (padded steps masked out); targets are time-major like <see cref="TokenBatch.Ids"/>.</summary>
    public static (double Loss, RecurrentState Final) ComputeGradients(this SequenceTagger model, TokenBatch batch, int[] targets,
        RecurrentState? initial = null, float[]? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        LayerShapes.RequireLength(targets, nameof(targets), batch.Ids.Length);
        LossResult? loss = null;
        var final = model.Backpropagate(batch, initial,
            logits => (loss = SoftmaxCrossEntropy.Compute(logits, targets, batch.StepMask(), classWeights)).Gradient);
        return (loss!.Value, final);
    }

    public static double TrainStep(this SequenceTagger model, TokenBatch batch, IReadOnlyList<IReadOnlyList<int>> tags, Optimizer optimizer,
        TrainingSettings? settings = null, float[]? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        model.ZeroGradients();
        var (loss, _) = model.ComputeGradients(batch, batch.AlignTimeMajor(tags, nameof(tags)), null, classWeights);
        model.ApplyGradients(optimizer, settings);
        return loss;
    }

    /// <summary>Trains a generator on sequences to predict each next token: input s[0..n−2], target s[1..n−1].</summary>
    public static double TrainStep(this SequenceGenerator model, IReadOnlyList<IReadOnlyList<int>> sequences, Optimizer optimizer, TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        for (int n = 0; n < sequences.Count; n++)
            if (sequences[n] is null || sequences[n].Count < 2)
                throw new ArgumentException($"Sequence {n} needs at least two tokens (an input and the next one to predict).", nameof(sequences));
        var inputs = sequences.Select(s => (IReadOnlyList<int>)s.Take(s.Count - 1).ToArray()).ToList();
        var targets = sequences.Select(s => (IReadOnlyList<int>)s.Skip(1).ToArray()).ToList();
        return model.TrainStep(TokenBatch.FromSequences(inputs), targets, optimizer, settings);
    }

    /// <summary>
    /// Truncated BPTT over a long stream: the stream is cut into <paramref name="batchSize"/> parallel rows, each walked
    /// in chunks of <paramref name="chunkLength"/> steps with one update per chunk. Each chunk starts from the previous
    /// chunk's final state, carried forward but not backpropagated through. Returns the mean loss over the chunks.
    /// </summary>
    public static double TrainStream(this SequenceGenerator model, IReadOnlyList<int> stream, int batchSize, int chunkLength, Optimizer optimizer, TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(optimizer);
        RecurrentState? state = null;
        double total = 0;
        int chunks = 0;
        foreach (var chunk in TruncatedBptt.Chunks(stream, batchSize, chunkLength))
        {
            model.ZeroGradients();
            var (loss, final) = model.ComputeGradients(chunk.Inputs, chunk.Targets, state);
            model.ApplyGradients(optimizer, settings);
            state = final;
            total += loss;
            chunks++;
        }
        return total / chunks;
    }

    /// <summary>Teacher-forced cross-entropy per target token; accumulates gradients, returns the mean loss.</summary>
    public static double ComputeGradients(this EncoderDecoder model, IReadOnlyList<IReadOnlyList<int>> sources, IReadOnlyList<IReadOnlyList<int>> targets)
    {
        ArgumentNullException.ThrowIfNull(model);
        LossResult? loss = null;
        model.Backpropagate(sources, targets, (logits, expected, mask) => (loss = SoftmaxCrossEntropy.Compute(logits, expected, mask)).Gradient);
        return loss!.Value;
    }

    public static double TrainStep(this EncoderDecoder model, IReadOnlyList<IReadOnlyList<int>> sources, IReadOnlyList<IReadOnlyList<int>> targets, Optimizer optimizer, TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ZeroGradients();
        double loss = model.ComputeGradients(sources, targets);
        model.ApplyGradients(optimizer, settings);
        return loss;
    }
}
