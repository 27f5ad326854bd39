using RnnNative.Formats;
using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Inference;

/// <summary>
/// Loads a model file for batch inference: a checkpoint written by <see cref="ModelCheckpoint.Save"/> (metadata
/// <c>model.kind</c>), a plain PyTorch state_dict saved as safetensors whatever its modules are called (structure
/// found from names and shapes by <see cref="StateDictStructure"/>: an embedding (V, E), an RNN whose
/// <c>weight_hh_l0</c> (G·H, H) gives the cell, a linear head (C, D·H); <c>encoder.rnn.*</c> with <c>decoder.rnn.*</c>
/// for an encoder-decoder), or a bare RNN layer file (<see cref="RnnModelFile"/>), with or without a prefix.
/// What cannot be told from names and shapes (classifier, tagger or generator; rnn_tanh or rnn_relu; which of several
/// RNNs) comes from the options.
/// </summary>
public static class InferenceModelLoader
{
    public static InferenceModel Load(string path, InferenceModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new InferenceModelOptions();
        var content = SafetensorsReader.Read(path);
        return FromContent(content, path, options);
    }

    public static InferenceModel FromContent(SafetensorsContent content, string sourceName, InferenceModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        var backend = options.Backend ?? RnnBackends.Fastest(options.Executor.Precision);
        var tensors = content.Tensors
            .Where(kv => !kv.Key.StartsWith(ModelCheckpoint.ReservedPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        ModelConfig? config = content.Metadata.ContainsKey("model.kind") ? ModelConfig.FromMetadata(content.Metadata) : null;
        var int8 = new ModelInt8Metadata(content.Metadata, sourceName);

        if (config is null && tensors.ContainsKey("weight_hh_l0"))
        {
            var layer = RnnModelFile.FromContent(content, sourceName, options.Mode);
            return new LayerInference(new RecurrentNetwork(layer, backend, int8.ExecutorOptions("", layer.Spec, options.Executor)), options.FullOutput);
        }
        var kind = config?.Kind ?? options.Kind;
        if (options.Kind is { } asked && config is not null && asked != config.Kind)
            throw new ArgumentException($"{sourceName}: the checkpoint holds a {config.Kind}, but {asked} was asked for.", nameof(options));
        var mode = config?.Cell ?? options.Mode;
        var parts = new StateDictParts(tensors, sourceName) { Int8 = int8 };
        try
        {
            return Build(parts, tensors, config, kind, mode, backend, options, sourceName);
        }
        catch
        {
            parts.DisposeNetworks();
            throw;
        }
    }

    private static InferenceModel Build(StateDictParts parts, Dictionary<string, Tensor<float>> tensors, ModelConfig? config, ModelKind? kind,
        RnnCellKind? mode, IRnnBackend backend, InferenceModelOptions options, string sourceName)
    {

        if (StateDictStructure.IsEncoderDecoder(tensors) || kind == ModelKind.EncoderDecoder)
        {
            if (options.Executor.Precision == RnnPrecision.Int8)
                throw new NotSupportedException($"{sourceName} is an encoder-decoder; int8 covers classifiers, taggers, generators and bare LSTM layers, so run it with --precision f32 or bf16.");
            var (sourceInput, encoder) = parts.Encoder(StateDictStructure.EncoderRnn, "encoder.embedding", mode, backend, options.Executor);
            var (targetInput, decoder) = parts.Encoder(StateDictStructure.DecoderRnn, "decoder.embedding", mode, backend, options.Executor);
            var fc = parts.Projection("decoder.fc", decoder.Spec.OutputSize);
            parts.RequireAllUsed();
            if (options.BeginToken is not { } begin || options.EndToken is not { } end)
                throw new ArgumentException($"{sourceName}: an encoder-decoder needs its begin and end target tokens (--begin-token, --end-token).", nameof(options));
            if ((uint)begin >= (uint)fc.OutputSize || (uint)end >= (uint)fc.OutputSize)
                throw new ArgumentException($"{sourceName}: the begin ({begin}) and end ({end}) tokens must be target tokens in [0, {fc.OutputSize}).", nameof(options));
            return new EncoderDecoderInference(sourceInput, encoder, targetInput, decoder, fc, begin, end, options.Generation.MaxNewTokens);
        }
        var structure = StateDictStructure.Find(tensors, sourceName, options.Rnn);
        if (structure.IsBareLayer && kind is null && config is null)
        {
            var layer = parts.Rnn(structure.RnnPrefix, mode);
            parts.RequireAllUsed();
            return new LayerInference(new RecurrentNetwork(layer, backend, parts.Int8.ExecutorOptions(structure.RnnPrefix, layer.Spec, options.Executor)), options.FullOutput);
        }
        if (structure.Head is null)
            throw new FileFormatException(sourceName, $"found {Found(tensors)}: an RNN ({structure.RnnPrefix}*) but no linear head reading its output, so not a whole model");
        var (input, rnn) = parts.Encoder(structure.RnnPrefix, structure.Embedding, mode, backend, options.Executor);
        var projection = parts.Projection(structure.Head, rnn.Spec.OutputSize);
        parts.RequireAllUsed();
        if (kind is null)
        {
            throw new ArgumentException(
                $"{sourceName}: a plain state_dict ({Found(tensors)}) can be a classifier, a tagger or a generator; say which (--kind classifier|tagger|generator).", nameof(options));
        }
        if (config is not null) CheckConfig(config, input, rnn.Spec, projection, sourceName);
        return kind switch
        {
            ModelKind.Classifier => new ClassifierInference(input, rnn, projection),
            ModelKind.Tagger => new TaggerInference(input, rnn, projection, options.StepProbabilities),
            _ => projection.OutputSize == input.VocabularySize
                ? new GeneratorInference(input, rnn, projection, options.Generation)
                : throw new FileFormatException(sourceName, $"a generator predicts its own tokens, but fc has {projection.OutputSize} outputs for a vocabulary of {input.VocabularySize}"),
        };
    }

    private static void CheckConfig(ModelConfig config, ITokenInput input, RnnSpec spec, Linear fc, string file)
    {
        var expected = config.RnnSpec;
        if (config.VocabularySize != input.VocabularySize || expected.Cell != spec.Cell || expected.InputSize != spec.InputSize
            || expected.HiddenSize != spec.HiddenSize || expected.NumLayers != spec.NumLayers || expected.Bidirectional != spec.Bidirectional
            || expected.ProjectionSize != spec.ProjectionSize
            || config.OutputSize != fc.OutputSize)
            throw new FileFormatException(file, $"the metadata describes {config}, but the tensors describe vocabulary {input.VocabularySize}, {spec}, {fc.OutputSize} outputs");
    }

    internal static string Found(IReadOnlyDictionary<string, Tensor<float>> tensors) =>
        tensors.Count == 0 ? "no tensors" : string.Join(", ", tensors.Take(10).Select(kv => $"{kv.Key} {kv.Value.ShapeString}")) + (tensors.Count > 10 ? $", … ({tensors.Count} in all)" : "");
}
