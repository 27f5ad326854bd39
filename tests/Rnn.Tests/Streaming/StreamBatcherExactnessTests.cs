using RnnNative.Streaming;
using RnnNative.Tests.Concurrency;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// Random interleavings of hundreds of streams, with random step counts per request, several producers, batching and
/// queue delays: each stream's outputs and final state must equal its whole sequence run alone on the managed reference.
/// </summary>
[TestFixture]
public class StreamBatcherExactnessTests
{
    private static readonly RnnSpec[] Specs =
    [
        new(RnnCellKind.Lstm, 6, 10, numLayers: 2),
        new(RnnCellKind.Gru, 5, 9, numLayers: 2),
        new(RnnCellKind.RnnTanh, 4, 7),
    ];

    [TestCase("managed", 0, 0, 1)]
    [TestCase("managed", 1, 300, 2)]
    [TestCase("managed", 2, 0, 2)]
    [TestCase("onednn", 0, 200, 2)]
    [TestCase("onednn", 1, 0, 1)]
    public async Task RandomInterleavingsMatchEachStreamRunAlone(string backendName, int specIndex, int queueDelayMicroseconds, int concurrency)
    {
        var spec = Specs[specIndex];
        var backend = CallerMemoryCases.Backend(backendName);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 28 + specIndex);
        using var executor = backend.CreateExecutor(parameters, new RnnExecutorOptions(Threads: 1));
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions
        {
            MaxBatchSize = 16,
            MaxQueueDelayMicroseconds = queueDelayMicroseconds,
            Concurrency = concurrency,
        });
        var rng = new Random(1000 + specIndex);
        const int streams = 240, producers = 4;
        // Each stream: a whole sequence of 1..24 steps, cut into requests of 1..4 steps; some streams start from given states.
        var sequences = new float[streams][];
        var cuts = new List<int>[streams];
        var h0 = new float[streams][];
        var c0 = new float[streams][];
        for (int s = 0; s < streams; s++)
        {
            int total = rng.Next(1, 25);
            sequences[s] = StreamReference.RandomValues(rng, total * spec.InputSize);
            cuts[s] = [];
            for (int done = 0; done < total;)
            {
                int k = Math.Min(rng.Next(1, 5), total - done);
                cuts[s].Add(k);
                done += k;
            }
            if (s % 3 == 0)
            {
                h0[s] = StreamReference.RandomValues(rng, spec.NumLayers * spec.HiddenStateSize);
                c0[s] = spec.Cell.HasCellState() ? StreamReference.RandomValues(rng, spec.NumLayers * spec.CellStateSize) : null!;
                batcher.Open(Key(s), h0[s], c0[s]);
            }
        }
        var outputs = new float[streams][];
        for (int s = 0; s < streams; s++) outputs[s] = new float[sequences[s].Length / spec.InputSize * spec.OutputSize];

        // Producer p owns streams s ≡ p (mod producers) and submits their requests in a random interleaving, each
        // stream's in order, without waiting for one before sending the next.
        var work = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var local = new Random(p);
            var mine = Enumerable.Range(0, streams).Where(s => s % producers == p).ToList();
            var next = mine.ToDictionary(s => s, _ => 0);
            var offsets = mine.ToDictionary(s => s, _ => 0);
            var pending = new List<Task<int>>();
            while (mine.Count > 0)
            {
                int s = mine[local.Next(mine.Count)];
                int k = cuts[s][next[s]++], at = offsets[s];
                offsets[s] = at + k;
                pending.Add(batcher.StepAsync(Key(s), sequences[s].AsMemory(at * spec.InputSize, k * spec.InputSize),
                    outputs[s].AsMemory(at * spec.OutputSize, k * spec.OutputSize)));
                if (next[s] == cuts[s].Count) mine.Remove(s);
                if (local.Next(8) == 0) await Task.Yield();
            }
            await Task.WhenAll(pending);
        })).ToArray();
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(120));

        double tolerance = backendName == "managed" ? 1e-5 : 1e-4;
        for (int s = 0; s < streams; s++)
        {
            var expected = StreamReference.Run(parameters, sequences[s], h0[s], c0[s]);
            StreamReference.AssertClose(outputs[s], expected.Output, tolerance, $"stream {s} outputs");
            var exported = StreamStateReader.Read(spec, batcher.ExportState(Key(s)));
            StreamReference.AssertClose(exported.Hidden, expected.Hidden, tolerance, $"stream {s} final h");
            StreamReference.AssertClose(exported.Cell, expected.Cell, tolerance, $"stream {s} final c");
        }
    }

    private static string Key(int s) => $"stream-{s}";
}
