using RnnNative.Formats;
using System.Numerics.Tensors;

namespace RnnNative.Models;

/// <summary>
/// A whole model in one safetensors file: its parameters under PyTorch's state_dict names (<c>embedding.weight</c>,
/// <c>rnn.weight_ih_l0</c>, <c>fc.weight</c>, ...) and the model configuration as metadata. A PyTorch state_dict of the
/// same structure, saved as safetensors, restores unchanged (its extra metadata, if any, is ignored). Entries under
/// <see cref="ReservedPrefix"/> belong to training state (RnnNative.Training writes the optimizer there) and are never
/// read as parameters.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>Names under this prefix, tensors and metadata alike, are not the model's.</summary>
    public const string ReservedPrefix = "optimizer.";

    /// <summary>Writes the model; <paramref name="extraMetadata"/> and <paramref name="extraTensors"/> must use <see cref="ReservedPrefix"/>.</summary>
    public static void Save(string path, SequenceModel model,
        IReadOnlyDictionary<string, string>? extraMetadata = null, IEnumerable<KeyValuePair<string, Tensor<float>>>? extraTensors = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = new Dictionary<string, string>(model.Config.ToMetadata());
        var tensors = model.Parameters.Select(p => new KeyValuePair<string, Tensor<float>>(p.Name, p.Value)).ToList();
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>())
            metadata[RequireReserved(key, nameof(extraMetadata))] = value;
        foreach (var entry in extraTensors ?? [])
        {
            RequireReserved(entry.Key, nameof(extraTensors));
            tensors.Add(entry);
        }
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>The model configuration a checkpoint was saved with (to build the model before <see cref="Restore"/>).</summary>
    public static ModelConfig ReadConfig(string path) => ModelConfig.FromMetadata(SafetensorsReader.Read(path).Metadata);

    /// <summary>
    /// Loads the parameters into <paramref name="model"/> (names and shapes must match exactly). A checkpoint written
    /// by <see cref="Save"/> must describe the same configuration. Returns the file's content for callers that read
    /// more of it (training state).
    /// </summary>
    public static SafetensorsContent Restore(string path, SequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = SafetensorsReader.Read(path);
        if (content.Metadata.ContainsKey("model.kind"))
        {
            var saved = ModelConfig.FromMetadata(content.Metadata);
            if (saved != model.Config)
                throw new ArgumentException($"{path}: the checkpoint holds {saved}, but the model is {model.Config}.", nameof(model));
        }
        model.LoadParameters(content.ToDictionary().Where(kv => !kv.Key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value));
        return content;
    }

    private static string RequireReserved(string key, string argument) =>
        key.StartsWith(ReservedPrefix, StringComparison.Ordinal)
            ? key
            : throw new ArgumentException($"Extra checkpoint entry '{key}' must be named under '{ReservedPrefix}'.", argument);
}
