using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Cli.Predict;

/// <summary>
/// Which fields each output record carries, from the model and the options: classifier <c>label</c>,
/// <c>probabilities</c> (and <c>label_name</c>); tagger <c>labels</c> (and <c>probabilities</c> per step,
/// <c>label_names</c>); generator and encoder-decoder <c>tokens</c>; bare RNN layer <c>hidden</c> (and <c>output</c>).
/// Every record starts with its <c>id</c>.
/// </summary>
internal sealed record OutputShape(ModelKind? Kind, bool StepProbabilities, bool FullOutput, IReadOnlyList<string>? LabelNames)
{
    public static OutputShape For(InferenceModel model, PredictSettings settings, IReadOnlyList<string>? labelNames)
    {
        if (labelNames is not null)
        {
            if (model.Classes is not { } classes)
                throw new CliUsageException($"--labels {settings.LabelsPath}: only a classifier or a tagger has labels to name; the model is a {model.Description}.");
            if (labelNames.Count != classes)
                throw new CliUsageException($"--labels {settings.LabelsPath}: {labelNames.Count} names for {classes} classes.");
        }
        if (settings.StepProbabilities && model.Kind != ModelKind.Tagger)
            throw new CliUsageException("--probabilities is for a tagger (a classifier always writes its probabilities).");
        if (settings.FullOutput && model.Kind is not null)
            throw new CliUsageException("--full-output is for a bare RNN layer.");
        return new(model.Kind, settings.StepProbabilities, settings.FullOutput, labelNames);
    }

    /// <summary>Splits a row-major block into <paramref name="rows"/> equal rows.</summary>
    public static List<List<float>> Rows(float[] values, int rows)
    {
        int width = rows == 0 ? 0 : values.Length / rows;
        var result = new List<List<float>>(rows);
        for (int r = 0; r < rows; r++) result.Add(new List<float>(values.AsSpan(r * width, width).ToArray()));
        return result;
    }
}
