using RnnNative.Inference;

namespace RnnNative.Tests.Inference;

/// <summary>
/// The engine returns each result as soon as it and every result before it are done: a slow batch later in a window
/// does not hold back the results before it, and the counters a progress display reads move with them.
/// </summary>
public class BatchPredictorStreamingTests
{
    [Test]
    public async Task AnEarlyResultComesBackWhileALaterBatchOfItsWindowIsStillRunning()
    {
        // Two windows of three records, one record per batch, two workers: record 1's batch waits on the gate.
        using var model = new GatedInferenceModel(gatedId: 1);
        var predictor = new BatchPredictor(model, new BatchPredictorOptions { Window = 3, MaxBatchSize = 1, Workers = 2 });
        var records = Enumerable.Range(0, 6).Select(i => PredictionRecord.FromTokens(RecordId.FromInteger(i), [10 + i])).ToList();

        var results = new List<PredictionResult>();
        await using var stream = predictor.PredictAsync(records.ToAsyncEnumerable()).GetAsyncEnumerator();
        // The engine starts with the first MoveNextAsync; the gated batch has begun once the workers are running.
        var first = stream.MoveNextAsync().AsTask();
        await model.GatedBatchStarted.Task;
        // The bound only turns an engine that holds the result back into a failure instead of a hang; a correct
        // engine returns it without waiting for the gate, however slow the machine.
        bool returnedWhileGated = await Task.WhenAny(first, Task.Delay(TimeSpan.FromMinutes(2))) == first;
        bool gatedBatchFinished = model.GatedBatchFinished;
        long countedWhileGated = predictor.Statistics.Records;
        model.Open();
        Assert.That(await first, Is.True);
        results.Add(stream.Current);
        while (await stream.MoveNextAsync()) results.Add(stream.Current);

        Assert.That(returnedWhileGated && !gatedBatchFinished, Is.True, "record 0 comes back while record 1's batch is still running");
        Assert.That(countedWhileGated, Is.EqualTo(1), "the counters count a result as soon as it is returned");
        Assert.That(results.Select(r => r.Id!.Value.Number), Is.EqualTo(Enumerable.Range(0, 6).Select(i => (long)i)));
        Assert.That(results.Select(r => r.Label), Is.EqualTo(Enumerable.Range(10, 6)));
        Assert.That(predictor.Statistics.Records, Is.EqualTo(6));
    }
}
