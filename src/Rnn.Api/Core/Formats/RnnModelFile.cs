using System.Globalization;
using System.Text.RegularExpressions;
using System.Numerics.Tensors;

namespace RnnNative.Formats;

/// <summary>
/// An RNN stored as safetensors: tensors named as PyTorch's state_dict (weight_ih_l0, ..., _reverse) and the
/// configuration in <c>__metadata__</c> (mode, input_size, hidden_size, num_layers, bidirectional, bias, and proj_size for
/// an LSTM with projections, whose weight_hr_l{k} tensors are stored too).
/// Files without metadata (a plain <c>safetensors.torch.save_file(rnn.state_dict(), ...)</c>) are understood from
/// their tensor names and shapes; only the tanh/relu choice of a vanilla RNN cannot be inferred and must be given.
/// </summary>
public static partial class RnnModelFile
{
    public const string ModeKey = "mode";
    public const string InputSizeKey = "input_size";
    public const string HiddenSizeKey = "hidden_size";
    public const string NumLayersKey = "num_layers";
    public const string BidirectionalKey = "bidirectional";
    public const string BiasKey = "bias";
    public const string ProjSizeKey = "proj_size";

    /// <summary>Metadata keys of the int8 activation quantization: int8.layer{l}.scale and int8.layer{l}.shift.</summary>
    public static string Int8ScaleKey(int layer) => $"int8.layer{layer.ToString(CultureInfo.InvariantCulture)}.scale";
    public static string Int8ShiftKey(int layer) => $"int8.layer{layer.ToString(CultureInfo.InvariantCulture)}.shift";

    /// <summary>Loads a model. <paramref name="mode"/> is needed only for a vanilla RNN file without metadata; if given it must agree with the file.</summary>
    public static RnnParameters Load(string path, RnnCellKind? mode = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromContent(SafetensorsReader.Read(path), path, mode);
    }

    /// <summary>
    /// Loads the RNN of a model file: a bare RNN layer file, or the RNN inside a plain PyTorch state_dict or a checkpoint
    /// whatever its module is called (<c>lstm.weight_ih_l0</c>, <c>encoder.rnn.weight_ih_l0</c>, ...); the file's other
    /// tensors (embedding, head) are left aside. <paramref name="rnnName"/> names the RNN module where there are several.
    /// </summary>
    public static RnnParameters LoadRnn(string path, RnnCellKind? mode = null, string? rnnName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var content = SafetensorsReader.Read(path);
        string prefix = Inference.StateDictStructure.FindRnn(content.ToDictionary(), path, rnnName);
        if (prefix.Length == 0) return FromContent(content, path, mode);
        var own = content.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && !kv.Key[prefix.Length..].Contains('.'))
            .Select(kv => new KeyValuePair<string, Tensor<float>>(kv.Key[prefix.Length..], kv.Value)).ToList();
        // A whole model's calibration is stored under the RNN's prefix (ModelInt8Metadata); the layer reads it unprefixed.
        var metadata = content.Metadata.Where(kv => kv.Key.StartsWith(prefix + "int8.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        return FromContent(new SafetensorsContent(metadata, own), path, mode);
    }

    /// <summary>The int8 quantization of the RNN that <see cref="LoadRnn"/> loads, or null when the file has none for it.</summary>
    public static Int8Quantization? LoadRnnInt8Quantization(string path, string? rnnName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var content = SafetensorsReader.Read(path);
        string prefix = Inference.StateDictStructure.FindRnn(content.ToDictionary(), path, rnnName);
        var parameters = LoadRnn(path, null, rnnName);
        return new ModelInt8Metadata(content.Metadata, path).Read(prefix, parameters.Spec);
    }

    /// <summary>Interprets safetensors content as an RNN; <paramref name="sourceName"/> names the file in errors.</summary>
    public static RnnParameters FromContent(SafetensorsContent content, string sourceName, RnnCellKind? mode = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sourceName);
        var tensors = content.ToDictionary();
        var spec = ResolveSpec(content.Metadata, tensors, sourceName, mode);
        try
        {
            return RnnParameters.FromTensors(spec, tensors);
        }
        catch (ArgumentException e)
        {
            throw new FileFormatException(sourceName, StripParameterName(e));
        }
    }

    /// <summary>Saves parameters (or parameter gradients) with the metadata that describes them.</summary>
    public static void Save(string path, RnnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        SafetensorsWriter.Write(path, parameters.Tensors, MetadataFor(parameters.Spec));
    }

    /// <summary>Saves parameters with their int8 quantization (from <see cref="Int8Calibration"/>) in the metadata.</summary>
    public static void Save(string path, RnnParameters parameters, Int8Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(quantization);
        quantization.EnsureFits(parameters.Spec, nameof(quantization));
        var metadata = new Dictionary<string, string>(MetadataFor(parameters.Spec));
        for (int l = 0; l < quantization.Layers.Count; l++)
        {
            metadata[Int8ScaleKey(l)] = quantization.Layers[l].Scale.ToString("R", CultureInfo.InvariantCulture);
            metadata[Int8ShiftKey(l)] = quantization.Layers[l].Shift.ToString("R", CultureInfo.InvariantCulture);
        }
        SafetensorsWriter.Write(path, parameters.Tensors, metadata);
    }

    /// <summary>The int8 quantization stored in a model file, or null when it has none.</summary>
    public static Int8Quantization? LoadInt8Quantization(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var content = SafetensorsReader.Read(path);
        var parameters = FromContent(content, path);
        return Int8QuantizationFrom(content.Metadata, parameters.Spec, path);
    }

    /// <summary>
    /// Reads int8.layer{l}.scale/.shift for every layer of <paramref name="spec"/>: null when no int8 key is present, an
    /// error when some are missing, malformed or out of range (a partial quantization is never used).
    /// </summary>
    public static Int8Quantization? Int8QuantizationFrom(IReadOnlyDictionary<string, string> metadata, RnnSpec spec, string file)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(spec);
        var keys = metadata.Keys.Where(k => k.StartsWith("int8.", StringComparison.Ordinal)).ToList();
        if (keys.Count == 0) return null;
        var expected = new HashSet<string>(Enumerable.Range(0, spec.NumLayers).SelectMany(l => new[] { Int8ScaleKey(l), Int8ShiftKey(l) }), StringComparer.Ordinal);
        if (keys.FirstOrDefault(k => !expected.Contains(k)) is { } stray)
            throw new FileFormatException(file, $"metadata {stray} does not belong to this {spec.NumLayers}-layer model's int8 quantization");
        var layers = new Int8LayerQuantization[spec.NumLayers];
        for (int l = 0; l < spec.NumLayers; l++)
        {
            var layer = new Int8LayerQuantization(MetadataFloat(metadata, Int8ScaleKey(l), file), MetadataFloat(metadata, Int8ShiftKey(l), file));
            try
            {
                layer.Validate(l);
            }
            catch (ArgumentException e)
            {
                throw new FileFormatException(file, e.Message.TrimEnd('.'));
            }
            layers[l] = layer;
        }
        return new Int8Quantization(layers);
    }

    private static float MetadataFloat(IReadOnlyDictionary<string, string> metadata, string key, string file)
    {
        if (!metadata.TryGetValue(key, out var text))
            throw new FileFormatException(file, $"metadata {key} is missing; the int8 quantization must cover every layer (recalibrate with rnn calibrate)");
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new FileFormatException(file, $"metadata {key} = '{text}' is not a number");
        return value;
    }

    public static IReadOnlyDictionary<string, string> MetadataFor(RnnSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var metadata = new Dictionary<string, string>
        {
            [ModeKey] = spec.Cell.ToModeName(),
            [InputSizeKey] = spec.InputSize.ToString(CultureInfo.InvariantCulture),
            [HiddenSizeKey] = spec.HiddenSize.ToString(CultureInfo.InvariantCulture),
            [NumLayersKey] = spec.NumLayers.ToString(CultureInfo.InvariantCulture),
            [BidirectionalKey] = spec.Bidirectional ? "true" : "false",
            [BiasKey] = spec.HasBias ? "true" : "false",
        };
        // Written only with a projection, so files of models without one stay exactly as before.
        if (spec.HasProjection) metadata[ProjSizeKey] = spec.ProjectionSize.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    [GeneratedRegex(@"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d{1,6})(_reverse)?$")]
    private static partial Regex ParameterName();

    private static RnnSpec ResolveSpec(IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, Tensor<float>> tensors, string file, RnnCellKind? mode)
    {
        var layerIndices = new HashSet<int>();
        bool reverse = false, bias = false;
        foreach (var name in tensors.Keys)
        {
            var match = ParameterName().Match(name);
            if (!match.Success)
                throw new FileFormatException(file, $"unexpected tensor '{name}'; an RNN file holds PyTorch's state_dict names (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0, ..._reverse)");
            layerIndices.Add(int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture));
            reverse |= match.Groups[3].Success;
            bias |= match.Groups[1].Value.StartsWith("bias", StringComparison.Ordinal);
        }
        int layers = layerIndices.Count == 0 ? 0 : layerIndices.Max() + 1;
        // A gap (or a forged huge index) is reported here rather than by enumerating every layer it implies.
        if (layerIndices.Count != layers)
            throw new FileFormatException(file, $"tensors for layer {Enumerable.Range(0, layers).First(l => !layerIndices.Contains(l))} are missing (layers go up to {layers - 1})");
        var weightHh = Required(tensors, "weight_hh_l0", file);
        var weightIh = Required(tensors, "weight_ih_l0", file);
        if (weightIh.Rank != 2 || weightIh.Dim(1) < 1)
            throw new FileFormatException(file, $"weight_ih_l0 has shape {weightIh.ShapeString}; expected (gates·hidden, input_size)");
        // With a projection (weight_hr_l0, (proj_size, hidden)) weight_hh is (4·hidden, proj_size); otherwise (gates·hidden, hidden).
        int hidden, projection = 0;
        if (tensors.TryGetValue("weight_hr_l0", out var weightHr))
        {
            if (weightHr.Rank != 2 || weightHr.Dim(0) < 1 || weightHr.Dim(1) < 1)
                throw new FileFormatException(file, $"weight_hr_l0 has shape {weightHr.ShapeString}; expected (proj_size, hidden)");
            hidden = weightHr.Dim(1);
            projection = weightHr.Dim(0);
            if (weightHh.Rank != 2 || weightHh.Dim(1) != projection || weightHh.Dim(0) % hidden != 0)
                throw new FileFormatException(file,
                    $"weight_hh_l0 has shape {weightHh.ShapeString}; with weight_hr_l0 {weightHr.ShapeString} it must be (4·{hidden}, {projection})");
        }
        else
        {
            if (weightHh.Rank != 2 || weightHh.Dim(1) < 1 || weightHh.Dim(0) % weightHh.Dim(1) != 0)
                throw new FileFormatException(file, $"weight_hh_l0 has shape {weightHh.ShapeString}; expected (gates·hidden, hidden)");
            hidden = weightHh.Dim(1);
        }
        int gates = weightHh.Dim(0) / hidden;

        var cell = ResolveCell(metadata, gates, file, mode);
        // Checked before building the spec so a forged layer count cannot make us enumerate millions of parameters.
        int? statedLayers = MetadataInt(metadata, NumLayersKey, file);
        if (statedLayers is { } n && n != layers)
            throw new FileFormatException(file, $"metadata {NumLayersKey} = {n}, but the tensors describe {layers} layer(s)");
        int inputSize = MetadataInt(metadata, InputSizeKey, file) ?? weightIh.Dim(1);
        int hiddenSize = MetadataInt(metadata, HiddenSizeKey, file) ?? hidden;
        bool bidirectional = MetadataBool(metadata, BidirectionalKey, file) ?? reverse;
        bool hasBias = MetadataBool(metadata, BiasKey, file) ?? bias;
        int projSize = MetadataProjSize(metadata, file) ?? projection;
        if (projSize != projection)
            throw new FileFormatException(file, projection == 0
                ? $"metadata {ProjSizeKey} = {projSize}, but there is no weight_hr_l0 tensor"
                : $"metadata {ProjSizeKey} = {projSize}, but weight_hr_l0 has shape {weightHr!.ShapeString}");
        try
        {
            return new RnnSpec(cell, inputSize, hiddenSize, layers, bidirectional, hasBias, projSize);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The spec's own message says which size is too large; the file is the thing to fix.
            throw new FileFormatException(file, e.Message.Split(" (Parameter")[0], e);
        }
    }

    private static RnnCellKind ResolveCell(IReadOnlyDictionary<string, string> metadata, int gates, string file, RnnCellKind? mode)
    {
        RnnCellKind? fromFile = null;
        if (metadata.TryGetValue(ModeKey, out var text))
        {
            if (!RnnCellKindExtensions.TryParseMode(text, out var parsed))
                throw new FileFormatException(file, $"metadata mode '{text}' is not one of lstm, gru, rnn_tanh, rnn_relu");
            fromFile = parsed;
        }
        if (mode is { } given && fromFile is { } stored && given != stored)
            throw new ArgumentException($"{file}: the requested mode {given.ToModeName()} contradicts the file's metadata mode {stored.ToModeName()}.", nameof(mode));
        var cell = fromFile ?? mode;
        if (cell is null)
        {
            cell = gates switch
            {
                4 => RnnCellKind.Lstm,
                3 => RnnCellKind.Gru,
                1 => throw new ArgumentException(
                    $"{file}: a vanilla RNN without 'mode' metadata may be rnn_tanh or rnn_relu; give the mode (--mode rnn_tanh or --mode rnn_relu).", nameof(mode)),
                _ => throw new FileFormatException(file, $"weight_hh_l0 holds {gates} gate blocks; LSTM has 4, GRU 3, a vanilla RNN 1"),
            };
        }
        if (cell.Value.GateCount() != gates)
            throw new FileFormatException(file,
                $"weight_hh_l0 holds {gates} gate block(s) of hidden size, but a {cell.Value.ToModeName()} model has {cell.Value.GateCount()}");
        return cell.Value;
    }

    private static Tensor<float> Required(IReadOnlyDictionary<string, Tensor<float>> tensors, string name, string file) =>
        tensors.TryGetValue(name, out var t)
            ? t
            : throw new FileFormatException(file, $"there is no tensor '{name}' (found: {(tensors.Count == 0 ? "none" : string.Join(", ", tensors.Keys.Take(8)))})");

    private static int? MetadataInt(IReadOnlyDictionary<string, string> metadata, string key, string file)
    {
        if (!metadata.TryGetValue(key, out var text)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            throw new FileFormatException(file, $"metadata {key} = '{text}' is not a positive integer");
        return value;
    }

    // proj_size = 0 is PyTorch's "no projection", so unlike the other sizes it may be 0.
    private static int? MetadataProjSize(IReadOnlyDictionary<string, string> metadata, string file)
    {
        if (!metadata.TryGetValue(ProjSizeKey, out var text)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw new FileFormatException(file, $"metadata {ProjSizeKey} = '{text}' is not a non-negative integer");
        return value;
    }

    private static bool? MetadataBool(IReadOnlyDictionary<string, string> metadata, string key, string file)
    {
        if (!metadata.TryGetValue(key, out var text)) return null;
        // Python's str(True) is "True"; JSON-minded writers say "true".
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
        throw new FileFormatException(file, $"metadata {key} = '{text}' is not true or false");
    }

    private static string StripParameterName(ArgumentException e)
    {
        string suffix = e.ParamName is null ? "" : $" (Parameter '{e.ParamName}')";
        string message = e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
        return message.TrimEnd('.');
    }
}
