using System.Globalization;
using RnnNative.Formats;

namespace RnnNative.Training;

/// <summary>
/// A whole model in one safetensors file: its parameters under PyTorch's state_dict names (<c>embedding.weight</c>,
/// <c>rnn.weight_ih_l0</c>, <c>fc.weight</c>, ...), optionally the optimizer's state under <c>optimizer.</c>, and the
/// model configuration and optimizer settings as metadata. A PyTorch state_dict of the same structure, saved as
/// safetensors, restores unchanged (its extra metadata, if any, is ignored).
/// </summary>
public static class ModelCheckpoint
{
    private const string OptimizerPrefix = "optimizer.";
    private const string OptimizerKindKey = "optimizer.kind";
    private const string OptimizerStepKey = "optimizer.step";
    private const string OptimizerLearningRateKey = "optimizer.lr";

    public static void Save(string path, SequenceModel model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = new Dictionary<string, string>(model.Config.ToMetadata());
        var tensors = model.Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value)).ToList();
        if (optimizer is not null)
        {
            metadata[OptimizerKindKey] = optimizer.Kind;
            metadata[OptimizerStepKey] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
            metadata[OptimizerLearningRateKey] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
            foreach (var (name, value) in optimizer.Settings)
                metadata[OptimizerPrefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
            tensors.AddRange(optimizer.ExportState().Select(kv => new KeyValuePair<string, Tensor>(OptimizerPrefix + kv.Key, kv.Value)));
        }
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>The model configuration a checkpoint was saved with (to build the model before <see cref="Restore"/>).</summary>
    public static ModelConfig ReadConfig(string path) => ModelConfig.FromMetadata(SafetensorsReader.Read(path).Metadata);

    /// <summary>
    /// Loads the parameters into <paramref name="model"/> (names and shapes must match exactly) and, when given, the
    /// optimizer's state. A checkpoint written by <see cref="Save"/> must describe the same configuration.
    /// </summary>
    public static void Restore(string path, SequenceModel model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = SafetensorsReader.Read(path);
        if (content.Metadata.ContainsKey("model.kind"))
        {
            var saved = ModelConfig.FromMetadata(content.Metadata);
            if (saved != model.Config)
                throw new ArgumentException($"{path}: the checkpoint holds {saved}, but the model is {model.Config}.", nameof(model));
        }
        var tensors = content.ToDictionary();
        model.LoadParameters(tensors.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value));
        if (optimizer is null) return;

        if (!content.Metadata.TryGetValue(OptimizerKindKey, out var kind))
            throw new ArgumentException($"{path}: the checkpoint has no optimizer state.", nameof(optimizer));
        if (kind != optimizer.Kind)
            throw new ArgumentException($"{path}: the checkpoint holds {kind} state, but the optimizer is {optimizer.Kind}.", nameof(optimizer));
        if (!int.TryParse(content.Metadata.GetValueOrDefault(OptimizerStepKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out int step) || step < 0)
            throw new ArgumentException($"{path}: metadata '{OptimizerStepKey}' is not a step count.", nameof(optimizer));
        var state = tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value);
        optimizer.ImportState(state, step, model.Parameters);
    }
}
