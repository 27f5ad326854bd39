using RnnNative.Models;

namespace RnnNative.Samples;

/// <summary>
/// A sample's classifier after training, with the data it was trained and evaluated on (token ids per sequence, and
/// the label each should get), for measuring it further (int8 agreement) beyond what the sample itself reports.
/// </summary>
public sealed record TrainedClassifier(string Name, SequenceClassifier Model, IReadOnlyList<int[]> Sequences, IReadOnlyList<int> Labels,
    IReadOnlyList<int[]> TrainingSequences) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
