using System.Globalization;
using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>
/// A model checkpoint (<see cref="ModelCheckpoint"/>) with the optimizer's state beside it: its tensors under
/// <c>optimizer.</c>, its kind, step, learning rate and settings as metadata, so training resumes where it stopped.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Prefix = ModelCheckpoint.ReservedPrefix;
    private const string KindKey = Prefix + "kind";
    private const string StepKey = Prefix + "step";
    private const string LearningRateKey = Prefix + "lr";

    public static void Save(string path, SequenceModel model, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var metadata = new Dictionary<string, string>
        {
            [KindKey] = optimizer.Kind,
            [StepKey] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
            [LearningRateKey] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in optimizer.Settings)
            metadata[Prefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
        ModelCheckpoint.Save(path, model, metadata,
            optimizer.ExportState().Select(kv => new KeyValuePair<string, Tensor<float>>(Prefix + kv.Key, kv.Value)));
    }

    /// <summary>Restores the model (as <see cref="ModelCheckpoint.Restore"/>) and the optimizer's state; both must match the file.</summary>
    public static void Restore(string path, SequenceModel model, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var content = ModelCheckpoint.Restore(path, model);
        if (!content.Metadata.TryGetValue(KindKey, out var kind))
            throw new ArgumentException($"{path}: the checkpoint has no optimizer state.", nameof(optimizer));
        if (kind != optimizer.Kind)
            throw new ArgumentException($"{path}: the checkpoint holds {kind} state, but the optimizer is {optimizer.Kind}.", nameof(optimizer));
        if (!int.TryParse(content.Metadata.GetValueOrDefault(StepKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out int step) || step < 0)
            throw new ArgumentException($"{path}: metadata '{StepKey}' is not a step count.", nameof(optimizer));
        var state = content.ToDictionary().Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value);
        optimizer.ImportState(state, step, model.Parameters);
    }
}
