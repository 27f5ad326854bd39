using RnnNative.Inference;

namespace RnnNative.Tests.Inference;

/// <summary>A failed result carries no payload: reading one throws instead of passing for label 0.</summary>
public class PredictionResultFailureTests
{
    [Test]
    public async Task AFailedResultThrowsOnItsPayloadAndAScoredOneDoesNot()
    {
        using var model = new GatedInferenceModel(gatedId: -1);
        var predictor = new BatchPredictor(model, new BatchPredictorOptions { Window = 4, Workers = 1 });
        PredictionRecord[] records = [PredictionRecord.FromTokens(RecordId.FromInteger(1), [7]), PredictionRecord.FromTokens(RecordId.FromInteger(2), [])];
        var results = new List<PredictionResult>();
        await foreach (var r in predictor.PredictAsync(records.ToAsyncEnumerable())) results.Add(r);

        Assert.That(results[0].IsError, Is.False);
        Assert.That(results[0].Label, Is.EqualTo(7));
        Assert.That(results[1].Error, Is.EqualTo("empty sequence"));
        var label = Assert.Throws<InvalidOperationException>(() => _ = results[1].Label);
        Assert.That(label!.Message, Does.Contain("empty sequence").And.Contain("Label"));
        Assert.Throws<InvalidOperationException>(() => _ = results[1].Probabilities);
    }
}
