using RnnNative.Formats;

namespace RnnNative;

/// <summary>
/// The int8 quantization of the recurrent networks of a model file, in its metadata. A network whose tensors are named
/// under a prefix (<c>rnn.</c>, <c>lstm.</c>, ... in a classifier, tagger or generator; none in a bare RNN layer file) has its quantization
/// under the same prefix, in the bare layer's format: <c>rnn.int8.layer{l}.scale</c> and <c>rnn.int8.layer{l}.shift</c>.
/// </summary>
public sealed class ModelInt8Metadata
{
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly string _file;

    public ModelInt8Metadata(IReadOnlyDictionary<string, string> metadata, string file)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(file);
        _metadata = metadata;
        _file = file;
    }

    /// <summary>The network prefix of the RNN in the ready model files this library writes (classifier, tagger, generator); a PyTorch state_dict's RNN may have another (<see cref="Inference.StateDictStructure"/>).</summary>
    public const string ModelNetworkPrefix = "rnn.";

    /// <summary>The quantization of the network under <paramref name="networkPrefix"/>, or null when the file has none for it.</summary>
    public Int8Quantization? Read(string networkPrefix, RnnSpec spec)
    {
        ArgumentNullException.ThrowIfNull(networkPrefix);
        var own = _metadata.Where(kv => kv.Key.StartsWith(networkPrefix + "int8.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[networkPrefix.Length..], kv => kv.Value);
        return RnnModelFile.Int8QuantizationFrom(own, spec, _file);
    }

    /// <summary>The metadata entries that store <paramref name="quantization"/> for the network under <paramref name="networkPrefix"/>.</summary>
    public static IReadOnlyDictionary<string, string> Entries(string networkPrefix, Int8Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(networkPrefix);
        ArgumentNullException.ThrowIfNull(quantization);
        var entries = new Dictionary<string, string>();
        for (int l = 0; l < quantization.Layers.Count; l++)
        {
            entries[networkPrefix + RnnModelFile.Int8ScaleKey(l)] = quantization.Layers[l].Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            entries[networkPrefix + RnnModelFile.Int8ShiftKey(l)] = quantization.Layers[l].Shift.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        return entries;
    }

    /// <summary>
    /// The executor options for the network under <paramref name="networkPrefix"/>: unchanged unless they ask for int8;
    /// for int8 the quantization given in the options, else the file's. A cell without int8, or a file without
    /// calibration, is refused here, before any executor exists, with a message that says what to do.
    /// </summary>
    public RnnExecutorOptions ExecutorOptions(string networkPrefix, RnnSpec spec, RnnExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Precision != RnnPrecision.Int8) return options;
        if (spec.Cell != RnnCellKind.Lstm)
            throw new NotSupportedException($"{_file}: int8 runs LSTM layers only, and this model's RNN is {spec.Cell.ToModeName()} " +
                "(oneDNN 2.6 has no int8 kernel for PyTorch's GRU, which is its LBR-GRU, nor for a vanilla RNN); use --precision f32 or bf16.");
        // A bare layer is calibrated on feature batches, a whole model on token records.
        string sample = networkPrefix.Length == 0 ? "X.npy" : "SAMPLE.jsonl";
        var quantization = options.Quantization ?? Read(networkPrefix, spec)
            ?? throw new ArgumentException($"{_file} has no int8 calibration ({networkPrefix}int8.* metadata); make one with " +
                $"`rnn calibrate --model {_file} --input {sample} --output {Int8ModelCalibration.DefaultOutputPath(_file)}` " +
                "(or Int8ModelCalibration.CalibrateFile) and load that file.", nameof(options));
        return options with { Quantization = quantization };
    }
}
