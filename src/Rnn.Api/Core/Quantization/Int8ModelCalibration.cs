using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative;

/// <summary>
/// Calibrates a whole model (a checkpoint or a plain PyTorch state_dict: embedding → LSTM → fc) for int8: its token
/// records go through the embedding (f32) into <see cref="Int8Calibration"/>, which records each LSTM layer's range;
/// the result is stored in the model file's metadata under the network's prefix (<see cref="ModelInt8Metadata"/>).
/// The embedding and the head stay f32, so only the LSTM needs ranges.
/// </summary>
public static class Int8ModelCalibration
{
    /// <summary>Sequences per calibration batch: enough to amortize a pass, small enough to bound the padding held at once.</summary>
    private const int BatchSize = 64;

    /// <summary>M.safetensors → M.int8.safetensors.</summary>
    public static string DefaultOutputPath(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (model.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? model[..^".safetensors".Length] : model) + ".int8.safetensors";
    }

    /// <summary>
    /// The quantization of the model's LSTM from <paramref name="samples"/> (token ids, each sequence non-empty and
    /// inside the vocabulary). <paramref name="sourceName"/> names the model in errors.
    /// </summary>
    public static Int8Quantization Calibrate(SafetensorsContent model, IEnumerable<int[]> samples, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(sourceName);
        var tensors = ModelTensors(model);
        if (tensors.ContainsKey("weight_hh_l0"))
            throw new ArgumentException($"{sourceName} is a bare RNN layer, which reads features, not tokens; calibrate it on a feature batch (rnn calibrate --input X.npy, or Int8Calibration.Calibrate).", nameof(model));
        if (StateDictStructure.IsEncoderDecoder(tensors))
            throw new NotSupportedException($"{sourceName} is an encoder-decoder; int8 covers classifiers, taggers and generators (embedding → LSTM → fc), so run it in f32 or bf16.");
        var structure = StateDictStructure.Find(tensors, sourceName);
        var parts = new StateDictParts(tensors, sourceName) { Int8 = new ModelInt8Metadata(model.Metadata, sourceName) };
        var parameters = parts.Rnn(structure.RnnPrefix, mode: null);
        if (parameters.Spec.Cell != RnnCellKind.Lstm)
            throw new NotSupportedException($"{sourceName}: int8 runs LSTM layers only, and this model's RNN is {parameters.Spec.Cell.ToModeName()}; use f32 or bf16.");
        var input = parts.Input(structure.Embedding, parameters.Spec);
        return Int8Calibration.Calibrate(parameters, Batches(samples, input, sourceName));
    }

    /// <summary>
    /// Reads <paramref name="modelPath"/>, calibrates it on <paramref name="samples"/> and writes the same tensors and
    /// metadata with the quantization added (replacing any earlier one) to <paramref name="outputPath"/>.
    /// </summary>
    public static Int8Quantization CalibrateFile(string modelPath, IEnumerable<int[]> samples, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        if (Path.GetFullPath(outputPath) == Path.GetFullPath(modelPath))
            throw new ArgumentException("The calibrated model must be a new file, not the model itself.", nameof(outputPath));
        var content = SafetensorsReader.Read(modelPath);
        var quantization = Calibrate(content, samples, modelPath);
        Save(outputPath, content, quantization);
        return quantization;
    }

    /// <summary>Writes <paramref name="model"/> with <paramref name="quantization"/> as its RNN's int8 metadata, under the RNN's own prefix (<c>rnn.</c>, <c>lstm.</c>, ...).</summary>
    public static void Save(string path, SafetensorsContent model, Int8Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(quantization);
        string prefix = StateDictStructure.Find(ModelTensors(model), path).RnnPrefix;
        string own = prefix + "int8.";
        var metadata = model.Metadata.Where(kv => !kv.Key.StartsWith(own, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (key, value) in ModelInt8Metadata.Entries(prefix, quantization)) metadata[key] = value;
        SafetensorsWriter.Write(path, model.Tensors, metadata);
    }

    /// <summary>The model's tensors without the training state a checkpoint may carry (<see cref="Models.ModelCheckpoint.ReservedPrefix"/>).</summary>
    private static Dictionary<string, System.Numerics.Tensors.Tensor<float>> ModelTensors(SafetensorsContent model) =>
        model.Tensors.Where(kv => !kv.Key.StartsWith(Models.ModelCheckpoint.ReservedPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static IEnumerable<RnnInput> Batches(IEnumerable<int[]> samples, ITokenInput input, string sourceName)
    {
        var batch = new List<int[]>(BatchSize);
        int index = 0;
        foreach (var tokens in samples)
        {
            if (tokens is null || tokens.Length == 0)
                throw new ArgumentException($"Calibration sample {index} for {sourceName} is empty; every sample needs at least one token.", nameof(samples));
            if (input.Check(tokens) is { } reason)
                throw new ArgumentException($"Calibration sample {index} for {sourceName}: {reason}.", nameof(samples));
            index++;
            batch.Add(tokens);
            if (batch.Count == BatchSize)
            {
                yield return Embed(batch, input);
                batch = new List<int[]>(BatchSize);
            }
        }
        if (batch.Count > 0) yield return Embed(batch, input);
    }

    private static RnnInput Embed(List<int[]> batch, ITokenInput input) =>
        new(input.Embed(batch, batch.Max(t => t.Length)), batch.Select(t => t.Length).ToArray());
}
