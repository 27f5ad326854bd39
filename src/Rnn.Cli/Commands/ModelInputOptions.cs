using System.CommandLine;
using RnnNative.Formats;
using RnnNative.Extensibility;

namespace RnnNative.Cli.Commands;

/// <summary>
/// The inputs shared by forward and backward: the model, X, lengths, h0, c0, the layout, and --mode for model files
/// that do not say it. Loads them and checks them against the model, naming the offending option and file.
/// </summary>
internal sealed class ModelInputOptions
{
    public Option<string> Model { get; } = new("--model") { Description = "Model weights (.safetensors, PyTorch state_dict names): a bare RNN layer, or a state_dict or checkpoint whose RNN is run (lstm.*, rnn.*, encoder.rnn.*, ...).", Required = true };
    public Option<string> Input { get; } = new("--input") { Description = "Input X (.npy): (T, N, input_size), or (N, T, input_size) with --batch-first.", Required = true };
    public Option<string?> Lengths { get; } = new("--lengths") { Description = "Sequence lengths (.npy, int32/int64, shape (N)); each 1 ≤ length ≤ T." };
    public Option<string?> H0 { get; } = new("--h0") { Description = "Initial hidden state (.npy): (layers·directions, N, hidden)." };
    public Option<string?> C0 { get; } = new("--c0") { Description = "Initial cell state for LSTM (.npy): (layers·directions, N, hidden)." };
    public Option<bool> BatchFirst { get; } = new("--batch-first") { Description = "X (and Y) are (N, T, ·) instead of (T, N, ·)." };
    public Option<string?> Mode { get; } = new("--mode") { Description = "lstm, gru, rnn_tanh or rnn_relu; needed only when the model file has no mode metadata and the tensors cannot tell." };
    public Option<string?> Rnn { get; } = new("--rnn") { Description = "The RNN module's name (encoder.lstm for encoder.lstm.weight_ih_l0, ...), where the file holds several." };

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(Input);
        command.Add(Lengths);
        command.Add(H0);
        command.Add(C0);
        command.Add(BatchFirst);
        command.Add(Mode);
        command.Add(Rnn);
    }

    public RnnParameters LoadModel(ParseResult parsed)
    {
        RnnCellKind? mode = null;
        if (parsed.GetValue(Mode) is { } text)
        {
            if (!RnnCellKindExtensions.TryParseMode(text, out var cell))
                throw new CliUsageException($"--mode '{text}' is not one of lstm, gru, rnn_tanh, rnn_relu.");
            mode = cell;
        }
        return RnnModelFile.LoadRnn(parsed.GetRequiredValue(Model), mode, parsed.GetValue(Rnn));
    }

    /// <summary>
    /// The options an executor needs for <paramref name="precision"/>: for int8 the calibration stored in the model file,
    /// or a usage error that says how to make one.
    /// </summary>
    public RnnExecutorOptions ExecutorOptions(ParseResult parsed, RnnPrecision precision, int threads = 0)
    {
        if (precision != RnnPrecision.Int8) return new RnnExecutorOptions(precision, threads);
        string path = parsed.GetRequiredValue(Model);
        var quantization = RnnModelFile.LoadRnnInt8Quantization(path, parsed.GetValue(Rnn))
            ?? throw new CliUsageException($"--model {path} has no int8 calibration (int8.* metadata); make one with " +
                $"`rnn calibrate --model {path} --input SAMPLE.npy --output {CalibrateCommand.DefaultOutput(path)}` and run that file.");
        return new RnnExecutorOptions(precision, threads, Quantization: quantization);
    }

    /// <summary>Reads X, lengths, h0 and c0 and validates them against the model's spec.</summary>
    public (RnnInput Input, RnnBatchShape Shape) LoadInput(ParseResult parsed, RnnSpec spec)
    {
        var x = NpyReader.ReadFloat32(parsed.GetRequiredValue(Input));
        int[]? lengths = null;
        if (parsed.GetValue(Lengths) is { } lengthsPath)
        {
            var array = NpyReader.ReadInt32(lengthsPath);
            if (array.Shape.Length != 1)
                throw new CliUsageException($"--lengths {lengthsPath}: lengths must be 1-D (N); got shape {RnnTensors.ShapeToString(array.Shape)}.");
            lengths = array.Data;
        }
        var h0 = parsed.GetValue(H0) is { } h0Path ? NpyReader.ReadFloat32(h0Path) : null;
        var c0 = parsed.GetValue(C0) is { } c0Path ? NpyReader.ReadFloat32(c0Path) : null;
        var input = new RnnInput(x, lengths, h0, c0, parsed.GetValue(BatchFirst));
        try
        {
            return (input, RnnBatchValidator.Validate(spec, input));
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"{Describe(parsed, e.ParamName)}{CliFailures.WithoutParameterSuffix(e)}");
        }
    }

    /// <summary>"--h0 H0.npy: " for an error about h0, so the user sees which file is wrong.</summary>
    private string Describe(ParseResult parsed, string? parameter) => parameter switch
    {
        "input" => $"--input {parsed.GetValue(Input)}: ",
        "lengths" => $"--lengths {parsed.GetValue(Lengths)}: ",
        "h0" => $"--h0 {parsed.GetValue(H0)}: ",
        "c0" => $"--c0 {parsed.GetValue(C0)}: ",
        _ => "",
    };

    /// <summary>Fails before any work when an output would go to a folder that does not exist.</summary>
    public static void CheckOutputPath(string option, string? path)
    {
        if (path is null) return;
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new CliUsageException($"{option} {path}: the folder {folder} does not exist.");
    }
}
